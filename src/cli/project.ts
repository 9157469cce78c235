/**
 * Loads what plan, apply, import and `validate --remote` all start from, in the one
 * direction data flows: config → specs → validate → (interpolate) → lockfile → live state.
 * It only calls the stages in order and turns their diagnostics into an InputError; the
 * rules themselves live in the stages.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EndpointLimits, LiveEndpoint, NetworkStorage, PpioApi, ProductCatalogue, RegistryAuth, ServerlessProduct } from '../api/types.js';
import { hasErrors, sortDiagnostics, type Diagnostic, type LocateFunction } from '../common/diagnostic.js';
import { readRegularFile } from '../common/files.js';
import { ApiError, InputError, UsageError } from '../common/errors.js';
import type { ProjectConfig } from '../config/types.js';
import type { LockfileSnapshot } from '../lockfile/store.js';
import type { DesiredEndpoint, SpecDocument, ValidSpec } from '../spec/types.js';
import type { CommandContext } from './context.js';
import type { EarlyReads } from './head-start.js';
import { loadProjectConfig } from '../config/index.js';
import { loadSpecs, resolveDesired } from '../spec/index.js';
import { selectEnvironment, environmentNames, variableLookup, applyPatches, resolveVariables, selectByName } from '../environments/index.js';
import { validateSpecs, validateResolved, checkAccountRules } from '../schema/index.js';
import { apiOriginOf, readLockfile, readLockfileSnapshot } from '../lockfile/index.js';
import { createPpioClient, assertSafeBaseUrl } from '../api/index.js';

export interface LoadedProject {
  config: ProjectConfig;
  specs: ValidSpec[];
  /** Spec files, absolute. */
  files: string[];
  /** Warnings that did not stop the command; the caller prints them on stderr. */
  warnings: Diagnostic[];
  /** The lockfile, when loading the project already had to read it. */
  lockfile?: LockfileSnapshot;
}

/** Everything the offline checks found; never throws for a user mistake. */
export interface CheckedProject {
  /** Undefined when the config itself could not be loaded. */
  config?: ProjectConfig;
  /** Specs that passed every check. */
  specs: ValidSpec[];
  /** Spec files found, absolute. */
  files: string[];
  /** Spec documents found (valid or not). */
  documents: number;
  diagnostics: Diagnostic[];
  /** The lockfile, when the checks had to read it. */
  lockfile?: LockfileSnapshot;
}

/** The project config as the global options select it, with its diagnostics. */
async function readConfig(ctx: CommandContext): Promise<{ config?: ProjectConfig; diagnostics: Diagnostic[] }> {
  return loadProjectConfig({ cwd: ctx.cwd, configPath: ctx.configPath, env: ctx.env });
}

/**
 * The config alone, narrowed to the chosen environment, for commands that work from the
 * lockfile and the live state (status, forget): a broken spec does not stop them. Throws
 * InputError when the config is invalid, UsageError when an environment is needed.
 */
export async function loadConfig(ctx: CommandContext): Promise<ProjectConfig> {
  const loaded = await readConfig(ctx);
  if (!loaded.config || hasErrors(loaded.diagnostics)) throw new InputError(sortDiagnostics(loaded.diagnostics));
  return selectEnvironment(loaded.config, ctx.environment, ctx.env);
}

export interface CheckOptions {
  /**
   * Without a chosen environment, check every environment the config defines (`validate`)
   * rather than asking for one.
   */
  everyEnvironment?: boolean;
  /** Called with the config (its environment chosen) once it is read, before the specs are. */
  onConfig?: (config: ProjectConfig) => void;
}

/**
 * config → specs → (environment patches, variables) → schema and project rules, as
 * `validate` reports them.
 */
export async function checkProject(ctx: CommandContext, options: CheckOptions = {}): Promise<CheckedProject> {
  const loaded = await readConfig(ctx);
  if (!loaded.config || hasErrors(loaded.diagnostics))
    return { specs: [], files: [], documents: 0, diagnostics: sortDiagnostics(loaded.diagnostics) };
  const baseConfig = loaded.config;
  if (options.onConfig) {
    const config = chosenEnvironment(ctx, baseConfig);
    if (config) options.onConfig(config);
  }

  const specs = await loadSpecs({
    rootDir: baseConfig.rootDir,
    patterns: [...baseConfig.specs, ...patchExclusions(baseConfig)],
    cwd: ctx.cwd,
    projectRoot: baseConfig.projectRoot,
    configFile: baseConfig.configFile,
    locatePattern: baseConfig.locateSpecPattern,
  });
  const everyEnvironment = options.everyEnvironment === true && ctx.environment === undefined && environmentNames(baseConfig).length > 0;
  const configs = everyEnvironment
    ? environmentNames(baseConfig).map((name) => selectEnvironment(baseConfig, { name, from: '--env' }, ctx.env))
    : [selectEnvironment(baseConfig, ctx.environment, ctx.env)];
  const checks = await Promise.all(configs.map((config) => checkEnvironment(ctx, config, specs.documents)));
  const config = configs[0] as ProjectConfig;
  const found = await allowNoSpecsWhenRecorded(ctx, config, specs.diagnostics);
  const files = new Set([...specs.files, ...checks.flatMap((check) => check.patchFiles)]);
  return {
    config: everyEnvironment ? baseConfig : config,
    specs: checks[0]?.specs ?? [],
    files: [...files].map((file) => path.resolve(ctx.cwd, file)),
    documents: specs.documents.length,
    diagnostics: sortDiagnostics([...loaded.diagnostics, ...found.diagnostics, ...mergeEnvironmentDiagnostics(checks)]),
    ...(found.lockfile ? { lockfile: found.lockfile } : {}),
  };
}

/** The config for the chosen environment, or undefined when none can be chosen (an error checkProject reports). */
function chosenEnvironment(ctx: CommandContext, config: ProjectConfig): ProjectConfig | undefined {
  try {
    return selectEnvironment(config, ctx.environment, ctx.env);
  } catch {
    return undefined;
  }
}

/** A patch file is never a spec, even where a spec glob matches it (`endpoints/**` holding overlays). */
function patchExclusions(config: ProjectConfig): string[] {
  const globs = Object.values(config.environments).flatMap((environment) => environment.patches ?? []);
  return globs.flatMap((glob) => [`!${glob}`, `!${glob.replace(/\/+$/, '')}/**`]);
}

/** One environment's specs: the base documents with its patches, subset and variables, validated. */
async function checkEnvironment(ctx: CommandContext, config: ProjectConfig, base: readonly SpecDocument[]) {
  const environment = config.environment;
  const diagnostics: Diagnostic[] = [];
  let documents = [...base];
  let patchFiles: string[] = [];
  if (environment && environment.patches.length > 0) {
    const pointer = `/environments/${environment.name}/patches`;
    const patches = await loadSpecs({
      rootDir: config.rootDir,
      patterns: environment.patches,
      cwd: ctx.cwd,
      configFile: config.configFile,
      locatePattern: config.locate && ((index) => (config.locate as LocateFunction)(`${pointer}/${index}`)),
      patternsPointer: pointer,
      fileKind: 'patch',
    });
    const patched = applyPatches(documents, patches.documents);
    diagnostics.push(...patches.diagnostics, ...patched.diagnostics);
    documents = patched.documents;
    patchFiles = patches.files;
  }
  if (environment) documents = selectByName(documents, environment.include, environment.exclude);

  const lookup = variableLookup(config, ctx.variables, ctx.env);
  const hint = (name: string) => `: pass --var ${name}=VALUE, set PPIO_VAR_${name}, or add it to \`vars\` in the project config`;
  documents = documents.map((document) => {
    const resolved = resolveVariables(document, lookup, hint);
    diagnostics.push(...resolved.diagnostics);
    return resolved.document;
  });
  const validation = validateSpecs(documents);
  // A value whose variable is missing or not a number already has its error.
  const unresolved = new Set(diagnostics.filter(isVariableProblem).map(placeOf));
  diagnostics.push(...validation.diagnostics.filter((d) => !unresolved.has(placeOf(d))));
  return { environment: environment?.name, specs: validation.valid, patchFiles, diagnostics };
}

const isVariableProblem = (d: Diagnostic) => d.rule === 'missing-variable' || d.rule === 'variable-not-integer';
const placeOf = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.path}`;

/**
 * Each problem once, however many environments found it; a problem only some environments
 * have (a variable only one of them sets) names them.
 */
function mergeEnvironmentDiagnostics(checks: readonly { environment?: string; diagnostics: Diagnostic[] }[]): Diagnostic[] {
  const found = new Map<string, { diagnostic: Diagnostic; environments: string[] }>();
  for (const { environment, diagnostics } of checks) {
    for (const diagnostic of diagnostics) {
      const key = [diagnostic.severity, diagnostic.rule, placeOf(diagnostic), diagnostic.message].join('\0');
      const entry = found.get(key) ?? { diagnostic, environments: [] };
      if (environment !== undefined) entry.environments.push(environment);
      found.set(key, entry);
    }
  }
  return [...found.values()].map(({ diagnostic, environments }) => {
    if (environments.length === 0 || environments.length === checks.length) return diagnostic;
    const which = `environment${environments.length > 1 ? 's' : ''} ${environments.join(', ')}`;
    return { ...diagnostic, message: `${diagnostic.message} (${which})` };
  });
}

/**
 * Removing the last spec file is how a team deletes its last endpoint: while the lockfile
 * still records endpoints, "no spec files" is a warning, and the plan deletes them.
 */
async function allowNoSpecsWhenRecorded(
  ctx: CommandContext,
  config: ProjectConfig,
  diagnostics: Diagnostic[],
): Promise<{ diagnostics: Diagnostic[]; lockfile?: LockfileSnapshot }> {
  if (!diagnostics.some((d) => d.rule === 'no-spec-files' && d.severity === 'error')) return { diagnostics };
  // An unreadable lockfile leaves the error as it is; plan and apply report the lockfile's own problem.
  const lockfile = await readLockfileSnapshot(config.lockfilePath, lockfileName(ctx, config)).catch(() => undefined);
  const recorded = lockfile ? Object.keys(lockfile.lockfile.endpoints).length : 0;
  if (recorded === 0) return { diagnostics };
  const relaxed = diagnostics.map((d) =>
    d.rule === 'no-spec-files'
      ? { ...d, severity: 'warning' as const, message: `${d.message}; the ${recorded} endpoint(s) the lockfile records will be planned for deletion` }
      : d,
  );
  return { diagnostics: relaxed, lockfile };
}

/** Config, specs and schema/project rules. Throws InputError when anything is invalid. */
export async function loadValidProject(ctx: CommandContext, options: Pick<CheckOptions, 'onConfig'> = {}): Promise<LoadedProject> {
  const checked = await checkProject(ctx, options);
  if (!checked.config || hasErrors(checked.diagnostics)) throw new InputError(checked.diagnostics);
  const { config, specs, files, lockfile } = checked;
  return { config, specs, files, warnings: checked.diagnostics, ...(lockfile ? { lockfile } : {}) };
}

/** `${env:…}` interpolation and normalisation: only plan and apply need the variables set. */
export async function resolveDesiredEndpoints(project: LoadedProject, env: NodeJS.ProcessEnv): Promise<DesiredEndpoint[]> {
  const resolved = resolveDesired(project.specs, env);
  if (hasErrors(resolved.diagnostics)) throw new InputError(sortDiagnostics(resolved.diagnostics));
  await assertResolvedValid(project, resolved.desired);
  // The lockfile and plans name spec files relative to the project root, so they read the
  // same whichever folder the command runs from (diagnostics stay relative to the cwd).
  const fileOf = new Map(project.specs.map((valid) => [valid.spec.name, valid.document.absolutePath]));
  return resolved.desired.map((endpoint) => {
    const file = fileOf.get(endpoint.name);
    return file ? { ...endpoint, source: projectPath(project.config, file) } : endpoint;
  });
}

/** The filled-in specs pass the same checks as the templates did, before any API call. */
async function assertResolvedValid(project: LoadedProject, desired: readonly DesiredEndpoint[]): Promise<void> {
  const documentOf = new Map(project.specs.map((valid) => [valid.spec.name, valid.document]));
  const diagnostics = validateResolved(
    desired.map((endpoint) => ({ document: documentOf.get(endpoint.name)!, config: endpoint.config, sensitivePaths: endpoint.sensitivePaths })),
  );
  if (hasErrors(diagnostics)) throw new InputError(sortDiagnostics(diagnostics));
}

/** A path relative to the project root, with forward slashes. */
export function projectPath(config: ProjectConfig, absolutePath: string): string {
  return path.relative(config.rootDir, absolutePath).split(path.sep).join('/');
}

/** Whether ppio-deploy is installed in the project's node_modules: modelines then point at its schemas. */
export const hasLocalSchemas = (projectDir: string): boolean =>
  existsSync(path.join(projectDir, 'node_modules', 'ppio-deploy', 'schemas', 'endpoint.schema.json'));

/**
 * The endpoint ids the project's other environments record (their lockfiles, on the same API
 * origin). One account often holds every environment: from one environment's view the others'
 * endpoints are not "unmanaged", and `export` must never take them over.
 */
export async function idsOfOtherEnvironments(ctx: CommandContext, config: ProjectConfig): Promise<Set<string>> {
  const origin = apiOriginOf(config.baseUrl);
  const ids = new Set<string>();
  for (const name of environmentNames(config).filter((other) => other !== config.environment?.name)) {
    const other = selectEnvironment(config, { name, from: '--env' }, ctx.env);
    const lockfile = await readLockfile(other.lockfilePath, lockfileName(ctx, other));
    if (lockfile.api !== undefined && lockfile.api !== origin) continue;
    for (const entry of Object.values(lockfile.endpoints)) ids.add(entry.id);
  }
  return ids;
}

/** The API client when the API key variable (PPIO_API_KEY, or the environment's `apiKeyEnv`) is set, else undefined. */
export async function connectApi(ctx: CommandContext, config: ProjectConfig): Promise<PpioApi | undefined> {
  const apiKey = ctx.env[config.apiKeyEnv]?.trim();
  if (!apiKey) return undefined;
  ctx.secrets.add([apiKey]);
  assertSafeBaseUrl(config.baseUrl);
  const client = createPpioClient({ baseUrl: config.baseUrl, apiKey });
  client.prepare();
  return client;
}

export async function requireApi(ctx: CommandContext, config: ProjectConfig, command: string): Promise<PpioApi> {
  const api = await connectApi(ctx, config);
  if (!api) {
    throw new UsageError(
      `${command} needs ${config.apiKeyEnv}: set it to your PPIO API key (or, to try things locally, run \`ppio-deploy emulator\` and set PPIO_BASE_URL to the URL it prints and ${config.apiKeyEnv} to any value)`,
    );
  }
  return api;
}

export interface AccountState {
  live: LiveEndpoint[];
  facts: { limits: EndpointLimits; storages: NetworkStorage[]; auths: RegistryAuth[]; catalogue: ProductCatalogue };
}

/** The lockfile as messages name it: relative to where the user stands. */
export function lockfileName(ctx: CommandContext, config: ProjectConfig): string {
  return path.relative(ctx.cwd, config.lockfilePath).split(path.sep).join('/') || config.lockfilePath;
}

/**
 * One paged list for the live endpoints, plus the account facts the specs refer to, in
 * parallel. What `early` (a head start) read successfully is taken from it.
 */
export async function fetchAccountState(
  api: PpioApi,
  specs: readonly ValidSpec[],
  managedIds: readonly string[] = [],
  early?: EarlyReads,
): Promise<AccountState> {
  // The recorded count sizes the listing, so its pages are all requested with the first one.
  const [live, facts] = await Promise.all([
    orRead(early?.live, () => api.listEndpoints({ managedIds, expectedCount: managedIds.length })),
    fetchAccountFacts(api, specs, early),
  ]);
  return { live, facts };
}

/** The limits and the product catalogue, and the network storages and registry auths only when a spec refers to them. */
export async function fetchAccountFacts(api: PpioApi, specs: readonly ValidSpec[], early?: EarlyReads): Promise<AccountState['facts']> {
  const needsStorages = specs.some((s) => s.spec.volumeMounts.some((m) => m.type === 'network'));
  const needsAuths = specs.some((s) => Boolean(s.spec.image.authId));
  const [limits, storages, auths, catalogue] = await Promise.all([
    orRead(early?.limits, () => api.getLimits()),
    needsStorages ? api.listNetworkStorages() : Promise.resolve([]),
    needsAuths ? api.listRegistryAuths() : Promise.resolve([]),
    early ? early.products.then(catalogueOf, () => readCatalogue(api)) : readCatalogue(api),
  ]);
  return { limits, storages, auths, catalogue };
}

/** The early read's result, or (when there was none, or it failed) the read made now. */
const orRead = <T>(early: Promise<T> | undefined, read: () => Promise<T>): Promise<T> => (early ? early.catch(read) : read());

/**
 * The catalogue only informs (cost, stock), so a base URL or account that does not serve it
 * leaves those unknown instead of failing the command.
 */
async function readCatalogue(api: PpioApi): Promise<ProductCatalogue> {
  try {
    return catalogueOf(await api.listServerlessProducts());
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { unavailable: `the serverless product list (GET /gpus/v2/products) could not be read: ${error.message}` };
  }
}

/** An empty list is not trusted: it would make every product look unknown. */
const catalogueOf = (products: ServerlessProduct[]): ProductCatalogue =>
  products.length > 0 ? { products } : { unavailable: 'the serverless product list (GET /gpus/v2/products) is empty' };

/** Account-level rules (GET /endpoint/limit ranges, storages, auths); throws InputError. */
export async function checkAgainstAccount(project: LoadedProject, account: AccountState): Promise<Diagnostic[]> {
  const diagnostics = sortDiagnostics(checkAccountRules(project.specs, account.facts));
  if (hasErrors(diagnostics)) throw new InputError(diagnostics);
  return diagnostics;
}

/**
 * What a saved plan was computed from. Spec files, and specs with only `${var:…}` resolved, hold
 * `${env:…}` templates, never secrets.
 */
export async function digestInputs(project: LoadedProject, lockfileBytes: string): Promise<{ specsDigest: string; lockfileDigest: string }> {
  const specs = createHash('sha256');
  for (const file of [...project.files].sort()) {
    specs
      .update(projectPath(project.config, file))
      .update('\0')
      .update(await readRegularFile(file))
      .update('\0');
  }
  if (project.config.configFile) specs.update(await readRegularFile(project.config.configFile));
  // Variables from --var and PPIO_VAR_* change the specs' meaning without touching a file.
  specs.update(JSON.stringify([project.config.environment?.name ?? null, project.specs.map((valid) => valid.spec)]));
  return { specsDigest: specs.digest('hex'), lockfileDigest: createHash('sha256').update(lockfileBytes).digest('hex') };
}
