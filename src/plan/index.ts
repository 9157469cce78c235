/** The planner: pure and synchronous. Specs, lockfile and live endpoints in; a Plan out. */
export { assemblePlan } from './assemble-plan.js';
export { addCosts, budgetExcess, formatAmount, withUnknownCost } from './cost.js';
export { configMatches } from './config-differences.js';
export { driftedPaths } from './drift.js';
export { identityField, matchesIdentity } from './identity.js';
export { replaceReasons } from './impact.js';
export { narrowPlan } from './targets.js';
export { assertPlanCurrent, parseSavedPlan, serializeSavedPlan } from './saved-plan.js';
export * from './types.js';
