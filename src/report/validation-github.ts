import type { Diagnostic } from '../common/diagnostic.js';
import type { Formatter } from './types.js';
import { summarizeValidation, type ValidationReport } from './validation-report.js';

/**
 * GitHub Actions workflow commands: each diagnostic becomes an annotation on its file and
 * line in the pull request; the summary is a plain log line.
 */
export const formatValidationGithub: Formatter<ValidationReport> = (report, sink) => {
  for (const d of report.errors) sink.write(`${annotation('error', d)}\n`);
  for (const d of report.warnings) sink.write(`${annotation('warning', d)}\n`);
  sink.write(`${summarizeValidation(report)}\n`);
};

function annotation(command: 'error' | 'warning', d: Diagnostic): string {
  const properties = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(d.rule)}`];
  return `::${command} ${properties.join(',')}::${escapeData(d.message)}`;
}

/** Message text: `%`, CR and LF would otherwise end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values additionally must not contain the `:` and `,` separators. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
