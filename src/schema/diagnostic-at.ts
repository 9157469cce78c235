import type { Diagnostic } from '../common/diagnostic.js';
import type { SourcePosition } from '../spec/types.js';

/** What a diagnostic needs to know about the document it points into. */
export interface LocatedSource {
  /** Path relative to the working directory, as diagnostics print it. */
  file: string;
  value: unknown;
  locate(pointer: string, target?: 'key' | 'value'): SourcePosition;
}

export interface DiagnosticOptions {
  /** Point at the key rather than the value (unknown keys). */
  target?: 'key' | 'value';
  severity?: Diagnostic['severity'];
}

/** A diagnostic located at a JSON pointer of `source`. */
export function diagnosticAt(
  source: LocatedSource,
  pointer: string,
  rule: string,
  message: string,
  options: DiagnosticOptions = {},
): Diagnostic {
  const position = source.locate(pointer, options.target ?? 'value');
  return {
    severity: options.severity ?? 'error',
    rule,
    message,
    file: source.file,
    line: Math.max(1, position.line),
    column: Math.max(1, position.column),
    path: pointer,
  };
}
