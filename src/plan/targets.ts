/**
 * `--target NAME` (repeatable, globs): plan and apply only some endpoints. The whole plan is
 * computed first, so a targeted change is exactly the change an untargeted plan would show
 * (the same adoption claims, the same drift); only the other changes are left out.
 */
import picomatch from 'picomatch';
import { UsageError } from '../common/errors.js';
import { summarizeChanges } from './assemble-plan.js';
import type { Change, Plan } from './types.js';

/** The names a change answers to: its spec name (and, for a move, the name it had). */
const namesOf = (change: Change): string[] => [change.name, ...('from' in change && typeof change.from === 'string' ? [change.from] : [])];

/**
 * The plan limited to the changes whose name matches one of `targets`. A target that matches
 * no spec and no recorded endpoint is a mistake (a typo would otherwise apply nothing and
 * succeed), so it is an error naming it.
 */
export function narrowPlan(plan: Plan, targets: readonly string[]): Plan {
  if (targets.length === 0) return plan;
  const matchers = targets.map((target) => ({ target, matches: picomatch(target, { dot: true }) }));
  const unmatched = matchers.filter(({ matches }) => !plan.changes.some((change) => namesOf(change).some((name) => matches(name))));
  if (unmatched.length > 0)
    throw new UsageError(
      unmatchedMessage(
        unmatched.map(({ target }) => target),
        plan,
      ),
    );
  const changes = plan.changes.filter((change) => namesOf(change).some((name) => matchers.some(({ matches }) => matches(name))));
  return { ...plan, changes, summary: summarizeChanges(changes) };
}

function unmatchedMessage(unmatched: readonly string[], plan: Plan): string {
  const which = unmatched.map((target) => `"${target}"`).join(', ');
  const known = plan.changes.map((change) => change.name);
  const listed = known.length === 0 ? 'there are none' : known.length > 10 ? `${known.slice(0, 10).join(', ')}, …` : known.join(', ');
  return `--target ${which} matches no spec and no endpoint in the lockfile (names: ${listed})`;
}
