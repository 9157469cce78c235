/** Pieces the plan formatters share, so text and markdown always word things alike. */
import { printable } from '../common/printable.js';
import { SENSITIVE, SENSITIVE_CHANGED } from '../common/secrets.js';
import { guardFlag, type Action, type Change, type FieldDiff, type GuardedAction, type Plan, type PlanSummary } from '../plan/types.js';

export { printable };

/** Changes worth showing: everything but noops. */
export const visibleChanges = (plan: Plan): Change[] => plan.changes.filter((change) => change.action !== 'noop');

/** Actions the summary line names only when there are any. */
const OPTIONAL_COUNTS = ['adopt', 'move', 'forget'] as const;

/** `Plan: 1 to create, 2 to update, 0 to replace, 0 to delete.` plus `, N to adopt`, `, N to move`, `, N to forget` when N > 0. */
export function summaryLine(summary: PlanSummary): string {
  const counts = `Plan: ${summary.create} to create, ${summary.update} to update, ${summary.replace} to replace, ${summary.delete} to delete`;
  const optional = OPTIONAL_COUNTS.filter((action) => summary[action] > 0).map((action) => `, ${summary[action]} to ${action}`);
  return `${counts}${optional.join('')}.`;
}

export const NO_CHANGES = 'No changes. Endpoints match the specs.';

const MAX_UNMANAGED_NAMES = 10;

/** `Not managed: 2 live endpoints the lockfile does not record (a, b).`, or undefined when there are none. */
export function unmanagedLine(plan: Plan): string | undefined {
  const count = plan.unmanaged.length;
  if (count === 0) return undefined;
  const names = plan.unmanaged.slice(0, MAX_UNMANAGED_NAMES).map(printable).join(', ');
  const more = count > MAX_UNMANAGED_NAMES ? `, and ${count - MAX_UNMANAGED_NAMES} more` : '';
  return `Not managed: ${count} live ${count === 1 ? 'endpoint' : 'endpoints'} the lockfile does not record (${names}${more}).`;
}

/** `Offline plan: …`, or undefined for an online plan. */
export const offlineLine = (plan: Plan): string | undefined =>
  plan.mode === 'offline' ? 'Offline plan: compared with the lockfile only; live state, drift and failed endpoints are not checked.' : undefined;

export const ACTION_SYMBOLS: Record<Action, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  adopt: '<=',
  move: '->',
  forget: '-',
  noop: ' ',
};

/** The comment that marks a change apply holds back without its flag. */
export const guardedText = (action: GuardedAction): string => `needs ${guardFlag(action)}: apply holds it back without it`;

export const replaceReasonText = (field: string): string =>
  field === 'appName'
    ? 'appName cannot change in place: a new endpoint (new URL) is created first, then this one is deleted'
    : `${field} cannot change in place: the endpoint is deleted, then created again with a new URL`;

const QUOTED_MASKS = new Map([SENSITIVE, SENSITIVE_CHANGED].map((marker) => [JSON.stringify(marker), marker]));

/**
 * A field's value as one line of JSON, cut to `maxLength`. In a sensitive field the masks
 * print bare, so `(sensitive)` never reads as a string someone wrote.
 */
function formatValue(value: unknown, field: FieldDiff, maxLength: number): string {
  let json = printable(JSON.stringify(value) ?? 'null');
  if (field.sensitive) for (const [quoted, marker] of QUOTED_MASKS) json = json.replaceAll(quoted, marker);
  return json.length <= maxLength ? json : `${json.slice(0, maxLength - 1)}…`;
}

/** One field diff's parts as both formatters print them. */
export interface FieldParts {
  kind: 'added' | 'removed' | 'changed';
  path: string;
  before: string;
  after: string;
  /** Ends a line whose live value was changed outside ppio-deploy; empty otherwise. */
  drift: string;
}

export function fieldParts(field: FieldDiff, maxLength: number): FieldParts {
  return {
    kind: !('before' in field) ? 'added' : !('after' in field) ? 'removed' : 'changed',
    path: printable(field.path),
    before: formatValue(field.before, field, maxLength),
    after: formatValue(field.after, field, maxLength),
    drift: field.drift ? '  (drift: changed outside ppio-deploy; this reverts it)' : '',
  };
}
