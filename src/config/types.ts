import type { SourcePosition } from '../common/diagnostic.js';

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
  /**
   * Where `specs[index]` is written in the config file (for a pattern that matches nothing).
   * Absent when `specs` is the default.
   */
  locateSpecPattern?: (index: number) => SourcePosition;
}

/** Names the config file may have, in the order they are looked for in each folder. */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  '.ppiorc',
  '.ppiorc.yaml',
  '.ppiorc.yml',
  '.ppiorc.json',
  'ppio.config.yaml',
  'ppio.config.yml',
  'ppio.config.json',
] as const;

/** The key of package.json that holds the config. */
export const PACKAGE_JSON_KEY = 'ppio';

export const DEFAULT_SPEC_GLOBS = ['endpoints/**/*.{yaml,yml,json}'];
export const DEFAULT_LOCKFILE = 'ppio.lock.json';
export const DEFAULT_BASE_URL = 'https://api.ppio.com';
export const DEFAULT_CONCURRENCY = 8;
