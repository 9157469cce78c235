export { loadProjectConfig } from './load-project-config.js';
export type { ProjectConfig } from './types.js';
