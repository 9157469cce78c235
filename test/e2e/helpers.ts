/**
 * End-to-end world: the emulator runs in the jest process, the built CLI runs as a child
 * process in a real temp project, exactly as a user or a CI job runs it. The hand-made
 * changes (drift, hand deletes, hand creates) go through the emulator's HTTP API, as a
 * colleague with the web console or curl would make them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';
import { basicSpecYaml, cliPath, runCli, tempProject, type CliResult } from '../helpers/cli.js';

export { basicSpecYaml };
export type { CliResult };

export const API_PREFIX = '/gpu-instance/openapi/v1';
export const LOCKFILE = 'ppio.lock.json';
export const JOURNAL = 'ppio.lock.json.journal';
export const LOCK_DIR = 'ppio.lock.json.lock';
export const API_KEY = 'e2e-test-key';

export type Json = Record<string, any>;

export interface LiveObject {
  id: string;
  name: string;
  appName: string;
  url: string;
  state: { state: string; error: string; message: string };
  workerConfig: Json;
  image: Json;
  envs: { key: string; value: string }[];
  [key: string]: unknown;
}

export interface WorldOptions {
  emulator?: EmulatorOptions;
  /** Spec files (path relative to the project → content). */
  files?: Record<string, string>;
  /** Variables every CLI run gets besides PPIO_BASE_URL and PPIO_API_KEY. */
  env?: Record<string, string | undefined>;
}

/** Worlds started and not yet stopped, so one `afterEach(stopRunningWorlds)` cleans up after a test. */
const runningWorlds = new Set<World>();

/** Stops every World a test started and left running; use as `afterEach(stopRunningWorlds)`. */
export async function stopRunningWorlds(): Promise<void> {
  for (const world of [...runningWorlds]) await world.stop();
}

export class World {
  private constructor(
    readonly emulator: EmulatorHandle,
    readonly dir: string,
    private readonly removeDir: () => void,
    readonly env: Record<string, string | undefined>,
  ) {}

  static async start(options: WorldOptions = {}): Promise<World> {
    const emulator = await startEmulator({ readyAfterMs: 20, seed: 7, ...options.emulator });
    const project = tempProject(options.files ?? {});
    const env = { PPIO_BASE_URL: emulator.url, PPIO_API_KEY: API_KEY, ...options.env };
    const world = new World(emulator, project.dir, project.cleanup, env);
    runningWorlds.add(world);
    return world;
  }

  async stop(): Promise<void> {
    runningWorlds.delete(this);
    await this.emulator.stop();
    this.removeDir();
  }

  /** Runs the built CLI in the project folder. `env` entries set to undefined are removed. */
  cli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 30_000): Promise<CliResult> {
    return runCli(args, { cwd: this.dir, env: { ...this.env, ...env }, timeoutMs });
  }

  file(relative: string): string {
    return path.join(this.dir, relative);
  }

  write(relative: string, content: string): void {
    mkdirSync(path.dirname(this.file(relative)), { recursive: true });
    writeFileSync(this.file(relative), content);
  }

  remove(relative: string): void {
    rmSync(this.file(relative), { recursive: true, force: true });
  }

  exists(relative: string): boolean {
    return existsSync(this.file(relative));
  }

  read(relative: string): string {
    return readFileSync(this.file(relative), 'utf8');
  }

  lockfileText(): string {
    return this.read(LOCKFILE);
  }

  lockfile(): { lockfileVersion: number; endpoints: Record<string, { id: string; url: string; source: string; applied: Json }>; pending: unknown[] } {
    return JSON.parse(this.lockfileText());
  }

  /** Spec name → id, as the lockfile records it. */
  recordedIds(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.lockfile().endpoints).map(([name, entry]) => [name, entry.id]));
  }

  // -------------------------------------------------------- the emulator's HTTP API, by hand

  async call(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.emulator.url}${API_PREFIX}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${this.env['PPIO_API_KEY'] ?? API_KEY}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }

  private async ok(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<any> {
    const answer = await this.call(method, apiPath, body);
    if (answer.status !== 200) throw new Error(`${method} ${apiPath} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Every endpoint the emulator lists (terminating ones included, as the API shows them). */
  async live(): Promise<LiveObject[]> {
    return ((await this.ok('GET', '/endpoints?pageSize=100&pageNum=1')) as { endpoints: LiveObject[] }).endpoints;
  }

  async liveByAppName(appName: string): Promise<LiveObject[]> {
    return (await this.live()).filter((endpoint) => endpoint.appName === appName && endpoint.state.state !== 'terminating');
  }

  async getLive(id: string): Promise<LiveObject> {
    return ((await this.ok('GET', `/endpoint?id=${id}`)) as { endpoint: LiveObject }).endpoint;
  }

  async handCreate(endpoint: Json): Promise<string> {
    return ((await this.ok('POST', '/endpoint/create', { endpoint })) as { id: string }).id;
  }

  /** The v1 update is a full replace: the whole config goes in the body. */
  async handUpdate(id: string, endpoint: Json): Promise<void> {
    const { appName: _appName, ...config } = endpoint;
    await this.ok('POST', '/endpoint/update', { id, ...config });
  }

  async handDelete(id: string): Promise<void> {
    await this.ok('POST', '/endpoint/delete', { id });
  }

  /** How many create POSTs reached the emulator so far (faulted ones included). */
  createRequests(): number {
    return this.emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.startsWith('/endpoint/create')).length;
  }
}

/** The API body of `basicSpecYaml(name, appName)`, for creating or updating an endpoint by hand. */
export function apiEndpoint(name: string, appName = name, change: (endpoint: Json) => void = () => {}): Json {
  const endpoint: Json = {
    name,
    appName,
    image: { image: 'ghcr.io/acme/sdxl:1.4.2', command: 'python -m server --port 8080' },
    workerConfig: { minNum: 0, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
    ports: [{ port: '8080' }],
    policy: { type: 'queue', value: 30 },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
    envs: [],
    healthy: { path: '/health' },
  };
  change(endpoint);
  return endpoint;
}

/** basicSpecYaml with `maxNum` set. */
export function specWithMaxNum(name: string, maxNum: number, appName = name): string {
  return replaceOnce(basicSpecYaml(name, appName), 'maxNum: 4', `maxNum: ${maxNum}`);
}

/** basicSpecYaml with an `envs` list appended. */
export function specWithEnvs(name: string, envs: Record<string, string>, appName = name): string {
  const lines = Object.entries(envs).map(([key, value]) => `  - key: ${key}\n    value: "${value}"`);
  return `${basicSpecYaml(name, appName)}envs:\n${lines.join('\n')}\n`;
}

export function specWithImage(name: string, image: string, appName = name): string {
  return replaceOnce(basicSpecYaml(name, appName), 'image: ghcr.io/acme/sdxl:1.4.2', `image: ${image}`);
}

export function replaceOnce(text: string, search: string, replacement: string): string {
  if (!text.includes(search)) throw new Error(`fixture text does not contain ${JSON.stringify(search)}`);
  return text.replace(search, replacement);
}

/** Ids (16 hex characters) and durations masked, so output text compares stably. */
export function maskOutput(text: string): string {
  return text.replace(/\b[0-9a-f]{16}\b/g, '<id>').replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, '<duration>');
}

/** The last non-empty line of some output. */
export function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return lines[lines.length - 1] ?? '';
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A readable failure message for a CLI run that exited with the wrong code. */
export function describeRun(result: CliResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** Asserts a CLI run exited with `code`, showing its output when it did not. */
export function expectExit(result: CliResult, code: number): CliResult {
  if (result.code !== code) throw new Error(`expected exit ${code}, got ${describeRun(result)}`);
  return result;
}

/**
 * Starts the built CLI without waiting for it, for tests that kill it mid-run. The
 * environment is built as runCli builds it: clean of the parent's PPIO_*, CI and GITHUB_*.
 */
export function spawnCli(
  world: World,
  args: string[],
  env: Record<string, string | undefined> = {},
  user: { uid?: number; gid?: number } = {},
): RunningCli {
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('PPIO_') && key !== 'CI' && !key.startsWith('GITHUB_') && key !== 'NODE_OPTIONS')
      childEnv[key] = value;
  }
  childEnv['NO_COLOR'] = '1';
  for (const [key, value] of Object.entries({ ...world.env, ...env })) {
    if (value === undefined) delete childEnv[key];
    else childEnv[key] = value;
  }
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: world.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  const running: RunningCli = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (running.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (running.stderr += chunk));
  return running;
}

export interface RunningCli {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}
