/**
 * Finds and loads the project config. Discovery follows cosmiconfig's conventions (module
 * `ppio`, the search places in CONFIG_SEARCH_PLACES, package.json's `ppio` key) but is done
 * here, reading data files only: cosmiconfig 9 itself, when constructed, loads a "meta config"
 * (`.config/config.js`, …) from the process's directory and can be pointed at `$import`ed
 * `.js` files, so a pull request could run code in a plan job. Nothing here executes a file.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { diagnosticAt, makeDiagnostic, type Diagnostic, type LocateFunction, type ParsedSource } from '../common/diagnostic.js';
import { PROJECT_MEANS, findProjectRoot, isInside, outsideProjectReason } from '../common/files.js';
import { appendPointer } from '../common/json-pointer.js';
import { isRecord } from '../common/record.js';
import type { ProjectConfigFile } from '../schema/definitions.js';
import { MAX_SPEC_FILE_BYTES, decodeSpecBytes, parseYamlText, toDisplayPath } from '../spec/index.js';
import { checkCommittedBaseUrls } from './base-url-rule.js';
import { validateConfig } from '../schema/compiled-validators.js';
import { mapSchemaErrors } from '../schema/schema-errors.js';
import {
  CONFIG_SEARCH_PLACES,
  DEFAULT_API_KEY_ENV,
  DEFAULT_BASE_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_LOCKFILE,
  DEFAULT_SPEC_GLOBS,
  PACKAGE_JSON_KEY,
  environmentLockfile,
  type ProjectConfig,
} from './types.js';

export interface LoadProjectConfigOptions {
  /** Absolute working directory: the search starts here. */
  cwd: string;
  /** `--config FILE` (absolute or relative to cwd): load exactly this file, no search. */
  configPath?: string;
  env: NodeJS.ProcessEnv;
}

export interface LoadProjectConfigResult {
  /** Absent when the config has errors. */
  config?: ProjectConfig;
  diagnostics: Diagnostic[];
}

/** A config file's parsed content: the config object and where each part is written. */
interface ConfigSource extends ParsedSource {
  absolutePath: string;
  /** Warnings found while parsing (e.g. an unknown YAML tag). */
  warnings: Diagnostic[];
}

type ReadOutcome = { source: ConfigSource } | { absent: true } | { diagnostics: Diagnostic[] };

const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);

export async function loadProjectConfig(options: LoadProjectConfigOptions): Promise<LoadProjectConfigResult> {
  const cwd = path.resolve(options.cwd);
  const outcome = options.configPath ? await readExplicitConfig(path.resolve(cwd, options.configPath), cwd) : await searchConfig(cwd);
  if ('diagnostics' in outcome) return { diagnostics: outcome.diagnostics };
  if ('absent' in outcome) return { config: applyDefaults({}, cwd, options.env), diagnostics: [] };
  return validateConfigSource(outcome.source, options.env);
}

/**
 * The nearest config upward from `startDir`. The search passes folders that have a
 * package.json without a `ppio` key (a monorepo package) and stops after the repository root
 * (the folder holding `.git`) or at the file-system root.
 */
async function searchConfig(startDir: string): Promise<ReadOutcome> {
  for (let dir = startDir; ; dir = path.dirname(dir)) {
    for (const place of CONFIG_SEARCH_PLACES) {
      const outcome = await readConfigFile(path.join(dir, place), startDir, 'search');
      if (!('absent' in outcome)) return outcome;
    }
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return { absent: true };
  }
}

async function readExplicitConfig(absolutePath: string, cwd: string): Promise<ReadOutcome> {
  const file = toDisplayPath(cwd, absolutePath);
  if (CODE_EXTENSIONS.has(path.extname(absolutePath).toLowerCase())) {
    return failed(makeDiagnostic('config-not-found', `--config ${file}: code files are not loaded; write the config as YAML or JSON`, file));
  }
  const kind = await nonFileKind(absolutePath);
  if (kind)
    return failed(makeDiagnostic('config-not-a-file', `--config ${file} is ${kind}, not a file: give the path of a YAML or JSON config file`, file));
  const outcome = await readConfigFile(absolutePath, cwd, 'explicit');
  if ('absent' in outcome) return failed(makeDiagnostic('config-not-found', `--config ${file}: no such file`, file));
  return outcome;
}

/** What the path is when it exists but is not a regular file (`a folder`, `a character device`…). */
async function nonFileKind(absolutePath: string): Promise<string | undefined> {
  const info = await stat(absolutePath).catch(() => undefined);
  if (info === undefined || info.isFile()) return undefined;
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe';
  return info.isSocket() ? 'a socket' : 'not a regular file';
}

async function readConfigFile(absolutePath: string, cwd: string, mode: 'search' | 'explicit'): Promise<ReadOutcome> {
  const file = toDisplayPath(cwd, absolutePath);
  const outside = outsideProjectReason(absolutePath, findProjectRoot(path.dirname(absolutePath)));
  if (outside) return failed(makeDiagnostic('outside-project', `the config file was not read: ${outside}`, file));
  let bytes: Buffer;
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) return { absent: true };
    if (info.size > MAX_SPEC_FILE_BYTES) return failed(makeDiagnostic('file-too-large', 'the config file is larger than 1 MiB', file));
    bytes = await readFile(absolutePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { absent: true };
    return failed(makeDiagnostic('unreadable-file', `cannot read the config file: ${code ?? String(error)}`, file));
  }
  const isPackageJson = path.basename(absolutePath) === 'package.json';
  // Most package.json files hold no ppio config: skip them without parsing.
  if (isPackageJson && mode === 'search' && !bytes.includes(`"${PACKAGE_JSON_KEY}"`)) return { absent: true };
  return parseConfigBytes(bytes, absolutePath, file, isPackageJson, mode);
}

function parseConfigBytes(bytes: Buffer, absolutePath: string, file: string, isPackageJson: boolean, mode: 'search' | 'explicit'): ReadOutcome {
  const decoded = decodeSpecBytes(bytes, file);
  if (decoded.text === undefined) return failed(...decoded.diagnostics);
  const isJson = isPackageJson || path.extname(absolutePath).toLowerCase() === '.json';
  const parsed = parseYamlText(decoded.text, { file, syntax: isJson ? 'JSON' : 'YAML', uniqueKeys: !isPackageJson });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return failed(...parsed.diagnostics);
  const [doc, extra] = parsed.documents;
  if (extra) return failed(makeDiagnostic('parse-error', 'a config file holds one document; remove the `---`', file, extra.locate('')));
  // An empty config file (or one with only comments) is a valid config: every key is optional.
  const warnings = parsed.diagnostics;
  if (!doc) return { source: { absolutePath, file, value: {}, locate: () => ({ line: 1, column: 1 }), warnings } };
  const locate = doc.locate;
  if (!isPackageJson) return { source: { absolutePath, file, value: doc.value, locate, warnings } };
  const record = doc.value;
  if (!isRecord(record) || !Object.hasOwn(record, PACKAGE_JSON_KEY)) {
    if (mode === 'search') return { absent: true };
    return failed(makeDiagnostic('config-not-found', `--config ${file}: package.json has no \`${PACKAGE_JSON_KEY}\` key`, file));
  }
  const prefix = `/${PACKAGE_JSON_KEY}`;
  const locateInKey: LocateFunction = (pointer, target) => locate(prefix + pointer, target);
  return { source: { absolutePath, file, value: record[PACKAGE_JSON_KEY], locate: locateInKey, warnings } };
}

async function validateConfigSource(source: ConfigSource, env: NodeJS.ProcessEnv): Promise<LoadProjectConfigResult> {
  const value = source.value;
  if (!isRecord(value)) {
    const problem = diagnosticAt(source, '', 'not-an-object', 'the config must be a mapping of keys to values');
    return { diagnostics: [...source.warnings, problem] };
  }
  if (!validateConfig(value)) return { diagnostics: [...source.warnings, ...mapSchemaErrors(validateConfig.errors ?? [], source, 'config')] };
  const hostile = checkCommittedBaseUrls(value, source);
  if (hostile.length > 0) return { diagnostics: [...source.warnings, ...hostile] };
  const configFile = value as ProjectConfigFile;
  const conflicts = checkEnvironmentKeys(configFile, source);
  if (conflicts.length > 0) return { diagnostics: [...source.warnings, ...conflicts] };
  const config = applyDefaults(configFile, path.dirname(source.absolutePath), env);
  const outside = lockfilesOutsideProject(configFile, config, source);
  if (outside.length > 0) return { diagnostics: [...source.warnings, ...outside] };
  config.configFile = source.absolutePath;
  config.locate = source.locate;
  if (configFile.specs) config.locateSpecPattern = (index) => source.locate(`/specs/${index}`);
  return { config, diagnostics: source.warnings };
}

/** Lockfiles are read and written: each must stay inside the project, links followed. */
function lockfilesOutsideProject(file: ProjectConfigFile, config: ProjectConfig, source: ConfigSource): Diagnostic[] {
  const written: [pointer: string, lockfile: string | undefined][] = [['/lockfile', file.lockfile]];
  for (const [name, environment] of Object.entries(file.environments ?? {}))
    written.push([appendPointer(appendPointer('/environments', name), 'lockfile'), environment.lockfile]);
  return written.flatMap(([pointer, lockfile]) => {
    if (lockfile === undefined) return [];
    const absolute = path.resolve(config.rootDir, lockfile);
    const reason = isInside(config.projectRoot, absolute)
      ? outsideProjectReason(absolute, config.projectRoot)
      : `it is outside the project (${PROJECT_MEANS})`;
    return reason ? [diagnosticAt(source, pointer, 'outside-project', `\`lockfile\` must be a file inside the project: ${reason}`)] : [];
  });
}

function applyDefaults(file: ProjectConfigFile, rootDir: string, env: NodeJS.ProcessEnv): ProjectConfig {
  const envBaseUrl = env['PPIO_BASE_URL']?.trim();
  return {
    rootDir,
    projectRoot: findProjectRoot(rootDir),
    specs: file.specs ?? [...DEFAULT_SPEC_GLOBS],
    lockfilePath: path.resolve(rootDir, file.lockfile ?? DEFAULT_LOCKFILE),
    baseUrl: envBaseUrl || file.baseUrl || DEFAULT_BASE_URL,
    concurrency: file.concurrency ?? DEFAULT_CONCURRENCY,
    apiKeyEnv: DEFAULT_API_KEY_ENV,
    vars: file.vars ?? {},
    environments: file.environments ?? {},
    ...(file.maxHourlyCost === undefined ? {} : { maxHourlyCost: file.maxHourlyCost }),
  };
}

/**
 * With environments, each has its own lockfile: a top-level `lockfile` would be silently
 * unused, so it is an error where it is written.
 */
function checkEnvironmentKeys(file: ProjectConfigFile, source: ConfigSource): Diagnostic[] {
  const environments = Object.entries(file.environments ?? {});
  if (environments.length === 0) return [];
  const diagnostics: Diagnostic[] = [];
  if (file.lockfile !== undefined) {
    const message =
      'with `environments`, each environment has its own lockfile (default ppio.<environment>.lock.json); move `lockfile` into the environments';
    diagnostics.push(diagnosticAt(source, '/lockfile', 'lockfile-with-environments', message, { target: 'key' }));
  }
  const owner = new Map<string, string>();
  for (const [name, environment] of environments) {
    const lockfile = path.normalize(environment.lockfile ?? environmentLockfile(name));
    const first = owner.get(lockfile);
    if (first === undefined) owner.set(lockfile, name);
    else {
      const message = `environments \`${first}\` and \`${name}\` share the lockfile ${lockfile}; each environment needs its own`;
      diagnostics.push(diagnosticAt(source, `/environments/${name}/lockfile`, 'shared-lockfile', message));
    }
  }
  return diagnostics;
}

const failed = (...diagnostics: Diagnostic[]): ReadOutcome => ({ diagnostics });
