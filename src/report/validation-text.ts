import pc from 'picocolors';
import type { Diagnostic } from '../common/diagnostic.js';
import type { Formatter, RenderOptions } from './types.js';
import { summarizeValidation, type ValidationReport } from './validation-report.js';

/**
 * `file:line:col  severity  rule  message`, each followed by a short code frame with a
 * caret under the column, ordered by file; then the summary line.
 */
export const formatValidationText: Formatter<ValidationReport> = (report, sink, options) => {
  const colors = pc.createColors(options.color);
  for (const diagnostic of [...report.errors, ...report.warnings].sort(byFile)) {
    sink.write(`${headline(diagnostic, options)}\n`);
    const frame = codeFrame(diagnostic, report.sourceLines[diagnostic.file] ?? {}, options);
    if (frame) sink.write(frame);
    sink.write('\n');
  }
  const summary = summarizeValidation(report);
  sink.write(`${report.valid ? colors.green(summary) : colors.red(summary)}\n`);
};

/** Same order as sortDiagnostics, with errors and warnings interleaved by position. */
function byFile(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}

function headline(d: Diagnostic, options: RenderOptions): string {
  const colors = pc.createColors(options.color);
  const severity = d.severity === 'error' ? colors.red('error') : colors.yellow('warning');
  return `${colors.bold(`${d.file}:${d.line}:${d.column}`)}  ${severity}  ${colors.dim(d.rule)}  ${d.message}`;
}

function codeFrame(d: Diagnostic, lines: Record<number, string>, options: RenderOptions): string {
  const current = lines[d.line];
  if (current === undefined) return '';
  const colors = pc.createColors(options.color);
  const width = String(d.line).length;
  const gutter = (label: string) => colors.dim(`  ${label.padStart(width)} | `);
  const previous = lines[d.line - 1];
  // Keep tabs so the caret lines up under the same column as in the source.
  const padding = current.slice(0, d.column - 1).replace(/[^\t]/g, ' ');
  const caret = d.severity === 'error' ? colors.red('^') : colors.yellow('^');
  return [
    ...(previous !== undefined ? [`${gutter(String(d.line - 1))}${previous}`] : []),
    `${gutter(String(d.line))}${current}`,
    `${gutter('')}${padding}${caret}`,
  ]
    .map((line) => `${line.trimEnd()}\n`)
    .join('');
}
