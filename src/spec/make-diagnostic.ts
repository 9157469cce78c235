import type { Diagnostic } from '../common/diagnostic.js';
import type { SourcePosition } from './types.js';

export const START_OF_FILE: SourcePosition = { line: 1, column: 1 };

export function makeDiagnostic(
  rule: string,
  message: string,
  file: string,
  position: SourcePosition = START_OF_FILE,
  path = '',
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return { severity, rule, message, file, line: position.line, column: position.column, path };
}
