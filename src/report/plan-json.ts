/**
 * The machine plan: one JSON document, two-space indent. Noops are counted in `summary` but
 * not listed; notes are for humans and stay out of the contract. `guarded` marks a change
 * apply holds back without its flag; `from` is a move's previous name.
 */
import { ACTIONS, isGuarded, type Change, type FieldDiff, type Plan } from '../plan/index.js';
import type { Formatter } from './types.js';
import { visibleChanges } from './plan-shared.js';

export const formatPlanJson: Formatter<Plan> = (plan, sink) => {
  const document = {
    formatVersion: plan.formatVersion,
    mode: plan.mode,
    environment: plan.environment,
    changes: visibleChanges(plan).map(toJsonChange),
    unmanaged: plan.unmanaged,
    warnings: plan.warnings,
    summary: {
      ...Object.fromEntries(ACTIONS.map((action) => [action, plan.summary[action]])),
      ...(plan.cost ? { cost: plan.cost.total ?? null } : {}),
    },
    ...(plan.cost?.unknownReason ? { costUnknown: plan.cost.unknownReason } : {}),
  };
  sink.write(`${JSON.stringify(document, null, 2)}\n`);
};

function toJsonChange(change: Change) {
  return {
    name: change.name,
    action: change.action,
    ...(change.from === undefined ? {} : { from: change.from }),
    ...(change.id === undefined ? {} : { id: change.id }),
    source: change.source,
    impact: change.impact,
    guarded: isGuarded(change.action),
    fields: change.fields.map(toJsonField),
    ...(change.cost ? { cost: change.cost } : {}),
  };
}

function toJsonField(field: FieldDiff) {
  return {
    path: field.path,
    ...('before' in field ? { before: field.before } : {}),
    ...('after' in field ? { after: field.after } : {}),
    ...(field.sensitive ? { sensitive: true as const } : {}),
    drift: field.drift === true,
  };
}
