export { loadProjectConfig } from './load-project-config.js';
export type { ProjectConfig, SelectedEnvironment } from './types.js';
