/** The project config after discovery, validation and defaults. All paths absolute. */
export interface ProjectConfig {
  /** Folder the relative paths resolve against: the config file's folder, else the cwd. */
  rootDir: string;
  /** The config file that was loaded, if any. */
  configFile?: string;
  /** Spec globs, relative to rootDir. */
  specs: string[];
  lockfilePath: string;
  /** PPIO_BASE_URL if set, else the config's baseUrl, else https://api.ppio.com. */
  baseUrl: string;
  concurrency: number;
}

export const DEFAULT_SPEC_GLOBS = ['endpoints/**/*.{yaml,yml,json}'];
export const DEFAULT_LOCKFILE = 'ppio.lock.json';
export const DEFAULT_BASE_URL = 'https://api.ppio.com';
export const DEFAULT_CONCURRENCY = 8;
