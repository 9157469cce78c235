/**
 * Saved plans: `plan --out FILE` writes one, `apply FILE` reads it back and applies it only
 * if nothing it was computed from has moved. A plan holds no secrets (they are masked when
 * it is assembled), so the file is safe to keep as a CI artifact.
 */
import { StalePlanError, UsageError } from '../common/errors.js';
import { isRecord } from '../common/record.js';
import { isDeepEqual } from './diff.js';
import {
  ACTIONS,
  IMPACT_ORDER,
  PLAN_FORMAT_VERSION,
  SAVED_PLAN_KIND,
  SAVED_PLAN_VERSION,
  type Change,
  type FieldDiff,
  type Plan,
  type PlanBasis,
  type SavedPlan,
} from './types.js';

export function serializeSavedPlan(plan: Plan, basis: PlanBasis): string {
  const saved: SavedPlan = {
    kind: SAVED_PLAN_KIND,
    planFileVersion: SAVED_PLAN_VERSION,
    formatVersion: plan.formatVersion,
    mode: plan.mode,
    environment: plan.environment,
    basis: {
      specsDigest: basis.specsDigest,
      lockfileDigest: basis.lockfileDigest,
      live: basis.live,
      ...(basis.targets && basis.targets.length > 0 ? { targets: basis.targets } : {}),
    },
    changes: plan.changes,
    unmanaged: plan.unmanaged,
    warnings: plan.warnings,
    summary: plan.summary,
  };
  return `${JSON.stringify(saved, null, 2)}\n`;
}

/** Reads a saved plan; anything else is a UsageError naming the file. */
export function parseSavedPlan(text: string, file: string): SavedPlan {
  const rerun = 'write one with `ppio-deploy plan --out FILE`';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's message quotes the file's text; a mistaken file could hold anything.
    throw new UsageError(`${file} is not a ppio-deploy plan: it is not valid JSON (${rerun})`);
  }
  if (!isRecord(value) || value['kind'] !== SAVED_PLAN_KIND) {
    throw new UsageError(`${file} is not a ppio-deploy plan (${rerun})`);
  }
  if (value['planFileVersion'] !== SAVED_PLAN_VERSION) {
    const made = value['planFileVersion'] === undefined ? 'an earlier ppio-deploy' : `plan file version ${JSON.stringify(value['planFileVersion'])}`;
    throw new UsageError(
      `${file} was saved by ${made}, and this ppio-deploy reads plan file version ${SAVED_PLAN_VERSION} (what apply does with deletes and adoptions changed): make the plan again with this version (\`ppio-deploy plan --out FILE\`)`,
    );
  }
  if (value['formatVersion'] !== PLAN_FORMAT_VERSION) {
    throw new UsageError(
      `${file} has plan formatVersion ${JSON.stringify(value['formatVersion'])}, and this ppio-deploy reads version ${PLAN_FORMAT_VERSION}: make the plan again with this version`,
    );
  }
  const problem = findShapeProblem(value);
  if (problem) throw new UsageError(`${file} is not a valid ppio-deploy plan: ${problem} (${rerun})`);
  return value as unknown as SavedPlan;
}

/**
 * Refuses a saved plan whose inputs moved: the spec files, the lockfile, or the live state
 * (seen as a recomputed plan whose changes differ from the saved ones).
 */
export function assertPlanCurrent(saved: SavedPlan, current: { plan: Plan; basis: PlanBasis }): void {
  const moved: string[] = [];
  if (saved.basis.specsDigest !== current.basis.specsDigest) moved.push('the spec files changed');
  if (saved.basis.lockfileDigest !== current.basis.lockfileDigest) moved.push('the lockfile changed');
  if (moved.length === 0) {
    const differences = describeDifferences(saved.changes, current.plan.changes);
    if (differences.length > 0) {
      const what = saved.basis.live ? 'the live endpoints changed' : 'the live endpoints differ from what the offline plan assumed';
      moved.push(`${what} (${differences})`);
    }
  }
  if (moved.length === 0) return;
  throw new StalePlanError(
    `The saved plan is stale: ${moved.join(' and ')} since it was made. Nothing was changed. ` +
      'Make a new plan (`ppio-deploy plan --out FILE`), review it, and apply that.',
  );
}

const MAX_LISTED = 5;

function describeDifferences(saved: readonly Change[], current: readonly Change[]): string {
  const savedByName = new Map(saved.map((change) => [change.name, change]));
  const currentByName = new Map(current.map((change) => [change.name, change]));
  const names = [...new Set([...savedByName.keys(), ...currentByName.keys()])].sort();
  const described = names.flatMap((name) => {
    const before = savedByName.get(name);
    const now = currentByName.get(name);
    if (before && now && isDeepEqual(comparable(before), comparable(now))) return [];
    if (!before) return [`${name}: now ${now?.action}, not in the saved plan`];
    if (!now) return [`${name}: planned ${before.action}, no longer in the plan`];
    return before.action === now.action ? [`${name}: the ${now.action} differs`] : [`${name}: planned ${before.action}, now ${now.action}`];
  });
  const listed = described.slice(0, MAX_LISTED).join('; ');
  return described.length > MAX_LISTED ? `${listed}; and ${described.length - MAX_LISTED} more` : listed;
}

/**
 * What must match between the saved and the recomputed change. Notes are prose, and a
 * sensitive field's masks depend on whether the plan was online, so they compare by path.
 */
function comparable(change: Change): unknown {
  const fields = change.fields.map(
    (field): FieldDiff =>
      field.sensitive ? { path: field.path, before: 'before' in field, after: 'after' in field, sensitive: true, drift: field.drift } : field,
  );
  return { name: change.name, action: change.action, id: change.id, source: change.source, impact: change.impact, fields };
}

// ---------------------------------------------------------------- shape

const ACTION_SET: ReadonlySet<unknown> = new Set(ACTIONS);
const IMPACT_SET: ReadonlySet<unknown> = new Set(IMPACT_ORDER);

function findShapeProblem(plan: Record<string, unknown>): string | undefined {
  const basis = plan['basis'];
  if (
    !isRecord(basis) ||
    typeof basis['specsDigest'] !== 'string' ||
    typeof basis['lockfileDigest'] !== 'string' ||
    typeof basis['live'] !== 'boolean'
  ) {
    return '`basis` must hold specsDigest, lockfileDigest and live';
  }
  const targets = basis['targets'];
  if (targets !== undefined && !(Array.isArray(targets) && targets.every((target) => typeof target === 'string'))) {
    return '`basis.targets` must be a list of names';
  }
  const environment = plan['environment'];
  if (environment !== null && typeof environment !== 'string') return '`environment` must be a name or null';
  const summary = plan['summary'];
  if (!isRecord(summary) || !ACTIONS.every((action) => Number.isInteger(summary[action]))) {
    return `\`summary\` must count ${ACTIONS.join(', ')}`;
  }
  if (plan['mode'] !== 'online' && plan['mode'] !== 'offline') return '`mode` must be "online" or "offline"';
  if (!Array.isArray(plan['unmanaged']) || !Array.isArray(plan['warnings'])) return '`unmanaged` and `warnings` must be arrays';
  const changes = plan['changes'];
  if (!Array.isArray(changes)) return '`changes` must be an array';
  const index = changes.findIndex((change) => !isChange(change));
  return index === -1 ? undefined : `changes[${index}] is not a valid change`;
}

function isChange(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value['name'] === 'string' &&
    ACTION_SET.has(value['action']) &&
    (value['id'] === undefined || typeof value['id'] === 'string') &&
    typeof value['source'] === 'string' &&
    IMPACT_SET.has(value['impact']) &&
    Array.isArray(value['fields']) &&
    value['fields'].every((field) => isRecord(field) && typeof field['path'] === 'string')
  );
}
