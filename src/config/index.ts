export { loadProjectConfig } from './load-project-config.js';
export { selectEnvironment, environmentNames, type EnvironmentChoice } from './select-environment.js';
export { variableLookup } from './variables.js';
export type { ProjectConfig, SelectedEnvironment } from './types.js';
