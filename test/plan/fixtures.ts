/** In-memory inputs for the planner: configs, desired endpoints, lockfiles, live endpoints. */
import type { LiveEndpoint } from '../../src/api/types.js';
import type { LockEntry, Lockfile, PendingCreate } from '../../src/lockfile/types.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import type { DesiredEndpoint } from '../../src/spec/types.js';

export function endpointConfig(name: string, overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  return {
    name,
    appName: name,
    workerConfig: { minNum: 0, maxNum: 2, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
    ports: [{ port: 8080 }],
    policy: { type: 'queue', value: 30 },
    image: { image: 'ghcr.io/acme/app:1.0.0' },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [],
    envs: [],
    healthy: { path: '/health' },
    ...overrides,
  };
}

/** A copy of `config` with the value at a JSON pointer set (or deleted, for undefined). */
export function withValue<T>(config: T, pointer: string, value: unknown): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  const segments = pointer.slice(1).split('/');
  const last = segments.pop() as string;
  let node: Record<string, unknown> = copy;
  for (const segment of segments) node = node[segment] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy as T;
}

export interface DesiredOptions {
  config?: EndpointConfig;
  /** Defaults to `config` (no interpolation). */
  recorded?: EndpointConfig;
  sensitivePaths?: string[];
  source?: string;
}

export function desiredEndpoint(name: string, options: DesiredOptions = {}): DesiredEndpoint {
  const config = options.config ?? endpointConfig(name);
  return {
    name,
    source: options.source ?? `endpoints/${name}.yaml`,
    config,
    recorded: options.recorded ?? config,
    sensitivePaths: options.sensitivePaths ?? [],
  };
}

export function lockEntry(id: string, applied: EndpointConfig, source = `endpoints/${applied.name}.yaml`): LockEntry {
  return { id, url: `https://${id}-${applied.appName ?? id}.runsync.serverless.ppinfra.com`, source, applied };
}

export function lockfileOf(endpoints: Record<string, LockEntry> = {}, pending: PendingCreate[] = []): Lockfile {
  return { lockfileVersion: 2, endpoints, pending };
}

export function liveEndpoint(id: string, config: EndpointConfig): LiveEndpoint {
  return {
    id,
    url: `https://${id}-${config.appName ?? id}.runsync.serverless.ppinfra.com`,
    state: { state: 'serving', error: '', message: '' },
    config,
    workers: [],
  };
}
