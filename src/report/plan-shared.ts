/** Pieces the plan formatters share, so text and markdown always word things alike. */
import { printable } from '../common/printable.js';
import { SENSITIVE, SENSITIVE_CHANGED } from '../common/secrets.js';
import type { Action, Change, FieldDiff, Plan, PlanSummary } from '../plan/index.js';

export { printable };

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

const QUOTED_MASKS = new Map([SENSITIVE, SENSITIVE_CHANGED].map((marker) => [JSON.stringify(marker), marker]));

/**
 * A field's value as one line of JSON, cut to `maxLength`. In a sensitive field the masks
 * print bare, so `(sensitive)` never reads as a string someone wrote.
 */
export function formatValue(value: unknown, field: FieldDiff, maxLength: number): string {
  let json = printable(JSON.stringify(value) ?? 'null');
  if (field.sensitive) for (const [quoted, marker] of QUOTED_MASKS) json = json.replaceAll(quoted, marker);
  return json.length <= maxLength ? json : `${json.slice(0, maxLength - 1)}…`;
}

/** The kind of line a field diff renders as. */
export const fieldKind = (field: FieldDiff): 'added' | 'removed' | 'changed' =>
  !('before' in field) ? 'added' : !('after' in field) ? 'removed' : 'changed';
