// Every output format, one file each; commands pick one by name.
export { stringSink } from './types.js';
export { formatPlanText } from './plan-text.js';
export { formatPlanJson } from './plan-json.js';
export { formatPlanMarkdown, MAX_MARKDOWN_LENGTH } from './plan-markdown.js';
export { createApplyRenderer, formatApplyEvent, formatApplySummary } from './apply-text.js';
export { selectValidationFormatter, type ValidationFormat } from './validation-formatters.js';
