/**
 * The result of `validate`, computed once: every format (text, json, github) renders from
 * this one model and none of them counts anything again.
 */
import { makeDiagnostic, sortDiagnostics, type Diagnostic } from '../common/diagnostic.js';

export interface ValidationReport {
  valid: boolean;
  /** Spec files found. */
  files: number;
  /** Spec documents found (one endpoint each). */
  endpoints: number;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /**
   * The source lines code frames show (each diagnostic's line and the one before), by file
   * then 1-based line number; plain-text secret values already masked. Not part of the
   * JSON output.
   */
  sourceLines: Record<string, Record<number, string>>;
}

export interface ValidationInput {
  files: number;
  endpoints: number;
  diagnostics: readonly Diagnostic[];
  /** A file's text by its diagnostic path, or undefined when it cannot be shown. */
  readSource?: (file: string) => string | undefined;
}

/** Lines longer than this are left out of code frames (minified JSON, long commands). */
const MAX_FRAME_LINE = 240;
const MASK = '********';

/** Problems shown per file; the rest are counted in one last diagnostic for the file. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

export function createValidationReport(input: ValidationInput): ValidationReport {
  const sorted = capPerFile(sortDiagnostics(input.diagnostics));
  const errors = sorted.filter((d) => d.severity === 'error');
  const warnings = sorted.filter((d) => d.severity === 'warning');
  return {
    valid: errors.length === 0,
    files: input.files,
    endpoints: input.endpoints,
    errors,
    warnings,
    sourceLines: input.readSource ? collectSourceLines(sorted, input.readSource) : {},
  };
}

/** The first MAX_DIAGNOSTICS_PER_FILE diagnostics of each file (sorted), and a count of the rest. */
function capPerFile(sorted: readonly Diagnostic[]): Diagnostic[] {
  const kept: Diagnostic[] = [];
  const omitted = new Map<string, { count: number; errors: boolean }>();
  let shownInFile = 0;
  sorted.forEach((d, i) => {
    shownInFile = i > 0 && sorted[i - 1]?.file === d.file ? shownInFile + 1 : 1;
    if (shownInFile <= MAX_DIAGNOSTICS_PER_FILE) {
      kept.push(d);
      return;
    }
    const rest = omitted.get(d.file) ?? { count: 0, errors: false };
    omitted.set(d.file, { count: rest.count + 1, errors: rest.errors || d.severity === 'error' });
  });
  for (const [file, { count, errors }] of omitted) {
    const message = `${plural(count, 'more problem')} in this file not shown (${MAX_DIAGNOSTICS_PER_FILE} are); fix these first`;
    kept.push(makeDiagnostic('more-problems', message, file, { line: 1, column: 1 }, '', errors ? 'error' : 'warning'));
  }
  return kept;
}

function collectSourceLines(diagnostics: readonly Diagnostic[], readSource: (file: string) => string | undefined): ValidationReport['sourceLines'] {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const found = byFile.get(d.file);
    if (found) found.push(d);
    else byFile.set(d.file, [d]);
  }
  const result: ValidationReport['sourceLines'] = {};
  for (const [file, found] of byFile) {
    const text = readSource(file);
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    const wanted: Record<number, string> = {};
    for (const d of found) {
      for (const number of [d.line - 1, d.line]) {
        const line = lines[number - 1];
        if (number >= 1 && line !== undefined && line.length <= MAX_FRAME_LINE) wanted[number] = line;
      }
    }
    maskPlaintextSecrets(found, wanted);
    result[file] = wanted;
  }
  return result;
}

/** A secret written in plain text is warned about, never shown: mask it wherever it is printed. */
function maskPlaintextSecrets(diagnostics: readonly Diagnostic[], lines: Record<number, string>): void {
  for (const d of diagnostics) {
    const line = lines[d.line];
    if (d.rule === 'plaintext-secret' && line !== undefined) lines[d.line] = `${line.slice(0, d.column - 1)}${MASK}`;
  }
}

export const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The one summary line every format ends with. */
export function summarizeValidation(report: ValidationReport): string {
  const scope = `${plural(report.files, 'file')}, ${plural(report.endpoints, 'endpoint')}`;
  const warnings = report.warnings.length > 0 ? ` (${plural(report.warnings.length, 'warning')})` : '';
  if (report.valid) return `✓ ${scope} valid${warnings}`;
  const counts = [plural(report.errors.length, 'error'), ...(report.warnings.length > 0 ? [plural(report.warnings.length, 'warning')] : [])];
  return `${counts.join(', ')} in ${plural(report.files, 'file')} (${plural(report.endpoints, 'endpoint')})`;
}
