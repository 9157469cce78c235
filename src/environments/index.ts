export { selectEnvironment, environmentNames, type EnvironmentChoice } from './select-environment.js';
export { applyPatches } from './apply-patches.js';
export { selectByName } from './select-by-name.js';
export { resolveVariables, type LookupVariable, type ResolvedVariable } from './resolve-variables.js';
export { variableLookup } from './variables.js';
