import type { Diagnostic } from '../common/diagnostic.js';
import type { Formatter } from './types.js';
import type { ValidationReport } from './validation-report.js';

/** Exactly one JSON document on stdout, the same shape whether the specs are valid or not. */
export const formatValidationJson: Formatter<ValidationReport> = (report, sink) => {
  const body = {
    valid: report.valid,
    files: report.files,
    endpoints: report.endpoints,
    errors: report.errors.map(toJson),
    warnings: report.warnings.map(toJson),
  };
  sink.write(`${JSON.stringify(body, null, 2)}\n`);
};

function toJson(d: Diagnostic) {
  return { file: d.file, line: d.line, column: d.column, path: d.path, rule: d.rule, message: d.message };
}
