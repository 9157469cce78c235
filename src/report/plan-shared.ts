/** Pieces the plan formatters share, so text and markdown always word things alike. */
import type { Action, Change, FieldDiff, Plan, PlanSummary } from '../plan/index.js';

/** Changes worth showing: everything but noops. */
export const visibleChanges = (plan: Plan): Change[] => plan.changes.filter((change) => change.action !== 'noop');

/** `Plan: 1 to create, 2 to update, 0 to replace, 0 to delete.` plus `, N to adopt` when there are any. */
export function summaryLine(summary: PlanSummary): string {
  const counts = `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.replace} to replace, ${summary.delete} to delete`;
  return summary.adopt > 0 ? `${counts}, ${summary.adopt} to adopt.` : `${counts}.`;
}

export const NO_CHANGES = 'No changes. Endpoints match the specs.';

export const ACTION_SYMBOLS: Record<Action, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  adopt: '<=',
  noop: ' ',
};

export const replaceReasonText = (field: string): string =>
  `${field} cannot change in place: the endpoint is deleted and re-created with a new URL`;

/** `"(sensitive)"` and `"(sensitive value changed)"` (SENSITIVE, SENSITIVE_CHANGED) as JSON strings. */
const QUOTED_MASKS = /"\(sensitive\)"|"\(sensitive value changed\)"/g;

/**
 * A field's value as one line of JSON, cut to `maxLength`. In a sensitive field the masks
 * print bare, so `(sensitive)` never reads as a string someone wrote.
 */
export function formatValue(value: unknown, field: FieldDiff, maxLength: number): string {
  let json = printable(JSON.stringify(value) ?? 'null');
  if (field.sensitive) json = json.replace(QUOTED_MASKS, (quoted) => quoted.slice(1, -1));
  return json.length <= maxLength ? json : `${json.slice(0, maxLength - 1)}…`;
}

/** The kind of line a field diff renders as. */
export const fieldKind = (field: FieldDiff): 'added' | 'removed' | 'changed' =>
  !('before' in field) ? 'added' : !('after' in field) ? 'removed' : 'changed';

/**
 * Text from specs or the API with control characters escaped, so a name cannot move the
 * cursor, colour the terminal or start a new line in a report.
 */
export const printable = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
