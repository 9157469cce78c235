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

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

/** Orders diagnostics by file, line, column, so every output format lists them alike. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
  );
}
