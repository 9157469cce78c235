import type { LocateFunction, SourcePosition } from '../common/diagnostic.js';
import type { EnvironmentFile, VariableValue } from '../schema/definitions.js';

/** The project config after discovery, validation and defaults. All paths absolute. */
export interface ProjectConfig {
  /** Folder the relative paths resolve against: the config file's folder, else the cwd. */
  rootDir: string;
  /**
   * The repository holding rootDir (else rootDir): spec files and the lockfile must be
   * inside it, so a committed config cannot make the CLI read files elsewhere.
   */
  projectRoot: string;
  /** The config file that was loaded, if any. */
  configFile?: string;
  /** Spec globs, relative to rootDir. */
  specs: string[];
  lockfilePath: string;
  /** PPIO_BASE_URL if set, else the config's baseUrl, else https://api.ppio.com. */
  baseUrl: string;
  concurrency: number;
  /** Hourly budget (`maxHourlyCost`); `--max-hourly-cost` wins. */
  maxHourlyCost?: number;
  /** The variable that holds the API key: the environment's `apiKeyEnv`, else PPIO_API_KEY. */
  apiKeyEnv: string;
  /** Top-level `vars`. */
  vars: Record<string, VariableValue>;
  /** The environments the config defines, as written (empty when it defines none). */
  environments: Record<string, EnvironmentFile>;
  /** The environment this config was narrowed to (see selectEnvironment). */
  environment?: SelectedEnvironment;
  /** Where a pointer into the config file is written. Absent without a config file. */
  locate?: LocateFunction;
  /**
   * Where `specs[index]` is written in the config file (for a pattern that matches nothing).
   * Absent when `specs` is the default.
   */
  locateSpecPattern?: (index: number) => SourcePosition;
}

/** One environment of the config, chosen with `--env` or PPIO_ENV. */
export interface SelectedEnvironment {
  name: string;
  vars: Record<string, VariableValue>;
  /** Globs of patch files, relative to rootDir. */
  patches: string[];
  /** Spec names (globs) the environment deploys; undefined: all. */
  include?: string[];
  /** Spec names (globs) it leaves out. */
  exclude: string[];
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
export const DEFAULT_API_KEY_ENV = 'PPIO_API_KEY';
/** An environment's lockfile when it does not name one. */
export const environmentLockfile = (name: string): string => `ppio.${name}.lock.json`;
export const DEFAULT_BASE_URL = 'https://api.ppio.com';
export const DEFAULT_CONCURRENCY = 8;
