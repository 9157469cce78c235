import type { Formatter } from './types.js';
import { formatValidationGithub } from './validation-github.js';
import { formatValidationJson } from './validation-json.js';
import type { ValidationReport } from './validation-report.js';
import { formatValidationText } from './validation-text.js';

export type ValidationFormat = 'text' | 'json' | 'github';

export function selectValidationFormatter(format: ValidationFormat): Formatter<ValidationReport> {
  switch (format) {
    case 'text':
      return formatValidationText;
    case 'json':
      return formatValidationJson;
    case 'github':
      return formatValidationGithub;
    default: {
      const unknown: never = format;
      throw new Error(`unknown validation format ${String(unknown)}`);
    }
  }
}
