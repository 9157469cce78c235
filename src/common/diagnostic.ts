/**
 * A problem found in the user's input, located at file:line:col. Validation returns
 * these as values (it never throws for a user mistake); the CLI renders them.
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable kebab-case rule id, e.g. `reserved-port`, `unknown-key`, `duplicate-name`. */
  rule: string;
  message: string;
  /** Path relative to the working directory (forward slashes). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** JSON pointer inside the document ('' for the document itself). */
  path: string;
}

/** A 1-based location in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Where the node at a JSON pointer starts: its key (`'key'`, for unknown-key errors) or its
 * value (default). A pointer that does not exist resolves to its nearest existing ancestor.
 */
export type LocateFunction = (pointer: string, target?: 'key' | 'value') => SourcePosition;

/** A document a diagnostic can point into: its display path and its source map. */
export interface LocatedSource {
  /** Path relative to the working directory, as diagnostics print it. */
  file: string;
  locate: LocateFunction;
  /**
   * For a document merged from several files (a spec with an environment's patches): the
   * source that wrote the value at `pointer`, when it is not this one.
   */
  sourceAt?(pointer: string): LocatedSource | undefined;
}

/** A parsed document (a spec or the config) and its source map. */
export interface ParsedSource extends LocatedSource {
  value: unknown;
  /**
   * Set when the text it was parsed from holds no `${` and no escape that could write one, so
   * the value holds no template and the walks over template strings can be skipped.
   */
  withoutTemplates?: true;
}

export interface DiagnosticOptions {
  /** Point at the key rather than the value (unknown keys). */
  target?: 'key' | 'value';
  severity?: Diagnostic['severity'];
}

const START_OF_FILE: SourcePosition = { line: 1, column: 1 };

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

/** A diagnostic located at a JSON pointer of `source`. */
export function diagnosticAt(source: LocatedSource, pointer: string, rule: string, message: string, options: DiagnosticOptions = {}): Diagnostic {
  const { file, line, column } = locateInSource(source, pointer, options.target);
  const position = { line: Math.max(1, line), column: Math.max(1, column) };
  return makeDiagnostic(rule, message, file, position, pointer, options.severity);
}

/** The file and position of the node at `pointer`, in whichever file wrote it. */
export function locateInSource(source: LocatedSource, pointer: string, target: 'key' | 'value' = 'value'): SourcePosition & { file: string } {
  const origin = source.sourceAt?.(pointer) ?? source;
  return { file: origin.file, ...origin.locate(pointer, target) };
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean => diagnostics.some((d) => d.severity === 'error');

/** Orders diagnostics by file, line, column, so every output format lists them alike. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}
