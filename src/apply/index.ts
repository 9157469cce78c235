export { applyPlan, heldBackChanges, recordCreateIntents } from './apply-plan.js';
export { recordMissingUrls } from './record-missing-urls.js';
export { checkImport, importedEntry } from './import-entry.js';
export { checkForget } from './forget-entry.js';
export { emptyCounts } from './types.js';
export type { GuardFlags, ApplyCounts, ApplyEvent, ApplyInput, ApplyResult, CreateIntents, Outcome } from './types.js';
