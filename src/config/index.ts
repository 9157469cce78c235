export { loadProjectConfig, type LoadProjectConfigOptions, type LoadProjectConfigResult } from './load-project-config.js';
export {
  CONFIG_SEARCH_PLACES,
  DEFAULT_BASE_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_LOCKFILE,
  DEFAULT_SPEC_GLOBS,
  type ProjectConfig,
} from './types.js';
