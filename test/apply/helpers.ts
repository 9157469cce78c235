import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPpioClient } from '../../src/api/index.js';
import type { PpioApi, PpioClient } from '../../src/api/types.js';
import { applyPlan, type ApplyEvent, type ApplyInput, type ApplyResult } from '../../src/apply/index.js';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src/emulator/index.js';
import { openLockfileSession, type LockfileSession } from '../../src/lockfile/index.js';
import { assemblePlan, type Plan } from '../../src/plan/index.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import type { DesiredEndpoint } from '../../src/spec/types.js';
import { sampleConfig } from '../helpers/sample-config.js';

export const SECRET = 'hf_resolved_secret_value';

/** A desired endpoint whose HF_TOKEN came from `${env:HF_TOKEN}`: `config` holds the secret, `recorded` the template. */
export function desiredEndpoint(name: string, overrides: Partial<EndpointConfig> = {}): DesiredEndpoint {
  const recorded = sampleConfig(name, overrides);
  const config = structuredClone(recorded);
  config.envs = config.envs.map((env) => (env.value === '${env:HF_TOKEN}' ? { ...env, value: SECRET } : env));
  return { name, source: `endpoints/${name}.yaml`, config, recorded, sensitivePaths: ['/envs/0/value'] };
}

export function fastClient(url: string): PpioClient {
  return createPpioClient({
    baseUrl: url,
    apiKey: 'test-key',
    retry: { baseDelayMs: 5, maxRetryAfterMs: 50, limit: 6 },
    timeouts: { connectMs: 2000, responseMs: 5000, requestMs: 8000 },
    deleteConfirm: { timeoutMs: 5000, intervalMs: 10 },
  });
}

/** An emulator, a client on it, and a lockfile session in a fresh temp folder. */
export class ApplyWorld {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-apply-'));
  readonly lockfilePath = path.join(this.dir, 'ppio.lock.json');
  readonly events: ApplyEvent[] = [];

  private constructor(
    readonly emulator: EmulatorHandle,
    readonly api: PpioClient,
    public session: LockfileSession,
  ) {}

  static async start(options: EmulatorOptions = {}): Promise<ApplyWorld> {
    const emulator = await startEmulator({ readyAfterMs: 0, seed: 7, ...options });
    const world = new ApplyWorld(emulator, fastClient(emulator.url), undefined as unknown as LockfileSession);
    world.session = await openLockfileSession(world.lockfilePath);
    return world;
  }

  /** The plan the CLI would compute now (online). */
  async plan(desired: DesiredEndpoint[]): Promise<Plan> {
    return assemblePlan({ desired, lockfile: this.session.current(), live: await this.api.listEndpoints() });
  }

  async apply(plan: Plan, desired: DesiredEndpoint[], options: Partial<ApplyInput> = {}): Promise<ApplyResult> {
    return applyPlan({
      plan,
      desired: new Map(desired.map((endpoint) => [endpoint.name, endpoint])),
      api: this.api,
      session: this.session,
      concurrency: 4,
      allowDelete: false,
      adopt: false,
      onEvent: (event) => this.events.push(event),
      ...options,
    });
  }

  async planAndApply(desired: DesiredEndpoint[], options: Partial<ApplyInput> = {}): Promise<ApplyResult> {
    return this.apply(await this.plan(desired), desired, options);
  }

  async stop(): Promise<void> {
    await this.session.close();
    this.api.close();
    await this.emulator.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The same API, counting calls in flight: the executor's concurrency as the server sees it. */
export function countingApi(api: PpioApi): { api: PpioApi; maxInFlight(): number } {
  let inFlight = 0;
  let max = 0;
  const counted =
    <Args extends unknown[], R>(call: (...args: Args) => Promise<R>) =>
    async (...args: Args): Promise<R> => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      try {
        return await call(...args);
      } finally {
        inFlight -= 1;
      }
    };
  const wrapped: PpioApi = {
    createEndpoint: counted((config) => api.createEndpoint(config)),
    getEndpoint: counted((id) => api.getEndpoint(id)),
    listEndpoints: counted(() => api.listEndpoints()),
    updateEndpoint: counted((id, config) => api.updateEndpoint(id, config)),
    deleteEndpoint: counted((id) => api.deleteEndpoint(id)),
    getLimits: () => api.getLimits(),
    listClusters: () => api.listClusters(),
    listNetworkStorages: () => api.listNetworkStorages(),
    listRegistryAuths: () => api.listRegistryAuths(),
    listServerlessProducts: () => api.listServerlessProducts(),
  };
  return { api: wrapped, maxInFlight: () => max };
}

export const names = (count: number, prefix = 'ep'): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
