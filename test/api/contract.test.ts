/**
 * The contract: the real client against the real emulator over loopback. Every operation,
 * normalisation without phantom diffs, paging, each fault switch (fixed seeds), API errors,
 * and the bearer key never leaking into an error.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { createPpioClient } from '../../src/api/index.js';
import type { ClientOptions, PpioClient } from '../../src/api/types.js';
import { ApiError, UsageError } from '../../src/common/errors.js';
import { EMULATOR_LIMITS, startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions, EmulatedStorage } from '../../src/emulator/index.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import { fullConfig, minimalConfig, platformFilled } from './fixtures.js';

const SECRET = 'sk-test-SECRET-123';
const FAST_RETRY = { limit: 8, maxRetryAfterMs: 100, baseDelayMs: 5 };

/** Every error a test catches is checked for the key, wherever it could hide. */
async function caught(promise: Promise<unknown>): Promise<ApiError> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  expect(inspect(thrown, { depth: 20, showHidden: true })).not.toContain(SECRET);
  expect(JSON.stringify(thrown)).not.toContain(SECRET);
  expect((thrown as Error).message).not.toContain(SECRET);
  expect((thrown as Error).stack).not.toContain(SECRET);
  return thrown as ApiError;
}

interface Harness {
  emulator: EmulatorHandle;
  api: PpioClient;
  client(options?: Partial<ClientOptions>): PpioClient;
}

/** One emulator per describe block; clients closed and the emulator stopped afterwards. */
function useEmulator(options: EmulatorOptions = {}, clientOptions: Partial<ClientOptions> = {}): Harness {
  const harness = {} as Harness;
  const clients: PpioClient[] = [];
  beforeAll(async () => {
    harness.emulator = await startEmulator({ apiKey: SECRET, seed: 7, readyAfterMs: 0, ...options });
    harness.client = (extra = {}) => {
      const client = createPpioClient({ baseUrl: harness.emulator.url, apiKey: SECRET, retry: FAST_RETRY, ...clientOptions, ...extra });
      clients.push(client);
      return client;
    };
    harness.api = harness.client();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await harness.emulator.stop();
  });
  return harness;
}

/** Injected faults are logged with the full path, answered requests with the path below the prefix. */
const createRequests = (emulator: EmulatorHandle) =>
  emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.includes('/endpoint/create'));

function numbered(count: number, prefix: string): EndpointConfig[] {
  return Array.from({ length: count }, (_, index) => minimalConfig(`${prefix}-${String(index).padStart(4, '0')}`));
}

async function createAll(api: PpioClient, configs: EndpointConfig[], concurrency = 16): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < configs.length; start += concurrency) {
    const batch = await Promise.all(configs.slice(start, start + concurrency).map((config) => api.createEndpoint(config)));
    ids.push(...batch.map((created) => created.id));
  }
  return ids;
}

describe('every operation against the emulator', () => {
  const h = useEmulator({ deleteDelayMs: 0 });

  it('creates an endpoint and reads it back through get and list exactly as the normalised config', async () => {
    const { id } = await h.api.createEndpoint(fullConfig());
    expect(id).toMatch(/^[0-9a-f]{16}$/);

    const got = await h.api.getEndpoint(id);
    expect(got.config).toStrictEqual(fullConfig());
    expect(got.id).toBe(id);
    expect(got.url).toBe(`https://${id}-sdxl-turbo.runsync.serverless.ppinfra.com`);
    expect(got.state).toStrictEqual({ state: 'serving', error: '', message: '' });

    const listed = (await h.api.listEndpoints()).find((endpoint) => endpoint.id === id);
    expect(listed).toStrictEqual(got);
  });

  it('reads back a config with no optional field set without phantom empty values, only what the platform filled', async () => {
    const { id } = await h.api.createEndpoint(minimalConfig('bare'));
    expect((await h.api.getEndpoint(id)).config).toStrictEqual(platformFilled(minimalConfig('bare')));
    expect((await h.api.listEndpoints()).find((endpoint) => endpoint.id === id)?.config).toStrictEqual(platformFilled(minimalConfig('bare')));
  });

  it('updates with a full replace: added, changed and removed fields all read back exactly', async () => {
    const { id } = await h.api.createEndpoint(fullConfig({ name: 'changing', appName: 'changing' }));
    const changed = fullConfig({
      name: 'changing-renamed',
      appName: 'changing',
      workerConfig: { minNum: 1, maxNum: 8, freeTimeout: 600, maxConcurrent: 4, gpuNum: 2 },
      ports: [{ port: 9000 }],
      policy: { type: 'concurrency', value: 10 },
      image: { image: 'ghcr.io/acme/sdxl:2.0.0' },
      volumeMounts: [{ type: 'local', size: 30, mountPath: '/data' }],
      envs: [],
      healthy: { path: '/ready' },
    });
    delete changed.clusterID;
    await h.api.updateEndpoint(id, changed);
    // Read-merge-write: a spec without clusterID or requestTimeout keeps the live values
    // (the endpoint stays in its cluster, with its timeout) instead of resetting them.
    const kept = { ...changed, clusterID: 'cn-east-1', workerConfig: { ...changed.workerConfig, requestTimeout: 120 } };
    expect((await h.api.getEndpoint(id)).config).toStrictEqual(kept);

    await h.api.updateEndpoint(id, fullConfig({ name: 'changing', appName: 'changing' }));
    expect((await h.api.getEndpoint(id)).config).toStrictEqual(fullConfig({ name: 'changing', appName: 'changing' }));
  });

  it('deletes, sending both id and name, confirms it is gone, and a second delete is a no-op', async () => {
    const { id } = await h.api.createEndpoint(minimalConfig('doomed'));
    await h.api.deleteEndpoint(id);
    const deleteBodies = h.emulator.requestLog.filter((entry) => entry.path.startsWith('/endpoint/delete')).map((entry) => entry.body);
    expect(deleteBodies.at(-1)).toStrictEqual({ id, name: id });

    const error = await caught(h.api.getEndpoint(id));
    expect(error.isNotFound).toBe(true);
    expect((await h.api.listEndpoints()).some((endpoint) => endpoint.id === id)).toBe(false);

    await expect(h.api.deleteEndpoint(id)).resolves.toBeUndefined();
  });

  it('reads the account: limits, clusters, network storages and registry auths without credentials', async () => {
    const limits = await h.api.getLimits();
    for (const [field, value] of Object.entries(EMULATOR_LIMITS)) {
      if (field in limits) expect(limits[field as keyof typeof limits]).toStrictEqual(value);
    }
    const clusters = await h.api.listClusters();
    expect(clusters.map((cluster) => cluster.id)).toContain('cn-east-1');
    expect(clusters[0]).toStrictEqual({
      id: expect.any(String),
      name: expect.any(String),
      availableGpuType: expect.any(Array),
      supportNetworkStorage: expect.any(Boolean),
    });

    expect(await h.api.listNetworkStorages()).toContainEqual(expect.objectContaining({ storageId: 'ns-7f3a9c1e2b4d6a80', clusterId: 'cn-east-1' }));

    const auths = await h.api.listRegistryAuths();
    expect(auths).toStrictEqual([{ id: 'auth-1f2e3d4c5b6a7980', name: 'ghcr-acme' }]);
    expect(JSON.stringify(auths)).not.toMatch(/password|username|emulator-not-a-secret/);
  });
});

describe('API errors from the emulator', () => {
  const h = useEmulator();

  it.each<[string, Partial<EndpointConfig>, string, RegExp]>([
    ['a reserved port', { ports: [{ port: 2222 }] }, 'VALIDATOR_PARAM', /internal port/],
    ['an unknown product', { products: [{ id: '999' }] }, 'SERVERLESS_PRODUCT_NOT_FOUND', /product 999 not found/],
    [
      'an out-of-range worker count',
      { workerConfig: { minNum: 0, maxNum: 5000, freeTimeout: 1, maxConcurrent: 1, gpuNum: 1 } },
      'VALIDATOR_PARAM',
      /maxNum 5000 is out of range/,
    ],
  ])('surfaces a create with %s as an ApiError with the emulator reason', async (_case, change, reason, message) => {
    const error = await caught(h.api.createEndpoint({ ...minimalConfig('invalid'), ...change }));
    expect(error).toMatchObject({ status: 400, reason, operation: 'create endpoint invalid', responseLost: false });
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^create endpoint invalid failed: HTTP 400 ${reason}: `));
  });

  it('refuses a second endpoint with the same appName', async () => {
    await h.api.createEndpoint(minimalConfig('first'));
    await h.api.createEndpoint({ ...minimalConfig('unique-a'), appName: 'taken' });
    const error = await caught(h.api.createEndpoint({ ...minimalConfig('unique-b'), appName: 'taken' }));
    expect(error.reason).toBe('SERVERLESS_APP_NAME_IS_EXIST');
  });

  it('reports an unknown id as not found (HTTP 400, branched on the reason) for get and update', async () => {
    const getError = await caught(h.api.getEndpoint('0000000000000000'));
    expect(getError).toMatchObject({
      status: 400,
      reason: 'SERVERLESS_ENDPOINT_NOT_FOUND',
      isNotFound: true,
      operation: 'get endpoint 0000000000000000',
    });
    const updateError = await caught(h.api.updateEndpoint('0000000000000000', minimalConfig()));
    expect(updateError.isNotFound).toBe(true);
  });

  it('tells the user how to fix a wrong key (403) and a missing key (401)', async () => {
    const wrong = await caught(h.client({ apiKey: 'sk-wrong-key' }).listEndpoints());
    expect(wrong).toMatchObject({ status: 403, reason: 'INVALID_API_KEY' });
    expect(wrong.message).toMatch(/rejected the API key .*set PPIO_API_KEY to a valid key$/);
    expect(wrong.message).not.toContain('sk-wrong-key');

    const missing = await caught(h.client({ apiKey: '' }).getLimits());
    expect(missing).toMatchObject({ status: 401, reason: 'UNAUTHORIZED' });
    expect(missing.message).toMatch(/set PPIO_API_KEY to a valid key$/);
  });

  it('refuses plain http:// to a host that is not loopback before sending anything', () => {
    expect(() => createPpioClient({ baseUrl: 'http://api.ppio.com', apiKey: SECRET })).toThrow(UsageError);
    expect(() => createPpioClient({ baseUrl: 'http://api.ppio.com', apiKey: SECRET })).toThrow(/PPIO_BASE_URL/);
  });
});

describe('paging against the emulator', () => {
  const h = useEmulator({ pageSizeMax: 100 });
  let ids: string[] = [];

  beforeAll(async () => {
    ids = await createAll(h.api, numbered(230, 'page'));
  });

  it('collects more endpoints than one page, each exactly once, normalised', async () => {
    const before = h.emulator.requestLog.length;
    const listed = await h.api.listEndpoints();
    expect(listed.map((endpoint) => endpoint.id).sort()).toStrictEqual([...ids].sort());
    expect(listed.map((endpoint) => endpoint.config)).toContainEqual(platformFilled(minimalConfig('page-0229')));
    // The emulator takes page 0 and page 1 alike as the first: page 0, the repeat that
    // reveals 1-based numbering, then pages 2 and 3.
    const pages = h.emulator.requestLog.slice(before).map((entry) => new URLSearchParams(entry.path.split('?')[1]).get('pageNum'));
    expect(pages.sort()).toStrictEqual(['0', '1', '2', '3']);
  });

  it('follows the server when it caps the page size below what was asked', async () => {
    const listed = await h.client({ listPageSize: 500 }).listEndpoints();
    expect(new Set(listed.map((endpoint) => endpoint.id))).toStrictEqual(new Set(ids));
  });

  it('works with small pages too', async () => {
    const listed = await h.client({ listPageSize: 7, listConcurrency: 3 }).listEndpoints();
    expect(listed).toHaveLength(230);
  });

  it('fetches the pages after the first concurrently: 11 pages cost about 3 round trips, not 11', async () => {
    // A long latency keeps the two far apart (≈600 ms vs ≥2,200 ms), so machine load cannot blur them.
    h.emulator.setFault({ latencyMs: 200 });
    try {
      const api = h.client({ listPageSize: 23, listConcurrency: 8 });
      await api.getLimits(); // warm up: load got, open the connection
      const started = Date.now();
      const listed = await api.listEndpoints();
      const elapsed = Date.now() - started;
      expect(listed).toHaveLength(230);
      // Sequentially: 11 round trips (≥ 2,200 ms). Ours: page 0, then pages 1–10 eight at a time (3 round trips).
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      h.emulator.setFault({ latencyMs: 0 });
    }
  });
});

describe('paged network storages', () => {
  const storages: EmulatedStorage[] = Array.from({ length: 230 }, (_, index) => ({
    storageId: `ns-${String(index).padStart(4, '0')}`,
    storageName: `volume-${index}`,
    storageSize: 100 + index,
    clusterId: 'cn-east-1',
    clusterName: 'China East 1',
  }));
  const h = useEmulator({ storages });

  it('collects every storage across pageNo pages', async () => {
    expect(await h.api.listNetworkStorages()).toStrictEqual(storages);
  });
});

describe('fault switches (fixed seeds)', () => {
  const h = useEmulator({ seed: 1234 });
  let ids: string[] = [];

  beforeAll(async () => {
    ids = await createAll(h.api, numbered(12, 'fault'));
  });

  function faultsSince(start: number, fault: string): number {
    return h.emulator.requestLog.slice(start).filter((entry) => entry.fault === fault).length;
  }

  it('retries 500s on get, list, update and delete until they succeed', async () => {
    const start = h.emulator.requestLog.length;
    h.emulator.setFault({ errorRate: 0.3 });
    try {
      for (const id of ids.slice(0, 4)) expect((await h.api.getEndpoint(id)).id).toBe(id);
      expect((await h.api.listEndpoints()).length).toBeGreaterThanOrEqual(12);
      await h.api.updateEndpoint(ids[0] as string, minimalConfig('fault-renamed'));
      await h.api.deleteEndpoint(ids[1] as string);
      await h.api.getLimits();
    } finally {
      h.emulator.setFault({ errorRate: 0 });
    }
    expect(faultsSince(start, 'error')).toBeGreaterThan(0);
    expect((await h.api.getEndpoint(ids[0] as string)).config.name).toBe('fault-renamed');
    expect((await caught(h.api.getEndpoint(ids[1] as string))).isNotFound).toBe(true);
  });

  it('retries 429s on get, list, update and delete, honouring a short Retry-After', async () => {
    const start = h.emulator.requestLog.length;
    h.emulator.setFault({ rateLimitRate: 0.3, retryAfterSeconds: 0.02 });
    try {
      for (const id of ids.slice(2, 6)) await h.api.getEndpoint(id);
      await h.api.listEndpoints();
      await h.api.updateEndpoint(ids[2] as string, minimalConfig('limited-renamed'));
      await h.api.deleteEndpoint(ids[3] as string);
      await h.api.listClusters();
    } finally {
      h.emulator.setFault({ rateLimitRate: 0 });
    }
    expect(faultsSince(start, 'rate-limit')).toBeGreaterThan(0);
    expect((await h.api.getEndpoint(ids[2] as string)).config.name).toBe('limited-renamed');
  });

  it('caps a long Retry-After instead of stalling, and reports the 429 when retries run out', async () => {
    h.emulator.setFault({ rateLimitRate: 1, retryAfterSeconds: 3600 });
    const started = Date.now();
    let error: ApiError;
    try {
      error = await caught(h.client({ retry: { limit: 2, maxRetryAfterMs: 100, baseDelayMs: 5 } }).getLimits());
    } finally {
      h.emulator.setFault({ rateLimitRate: 0, retryAfterSeconds: 1 });
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(error).toMatchObject({ status: 429, reason: 'RATE_LIMIT_EXCEEDED' });
    expect(error.message).toMatch(/rate limited by the PPIO API .* after 3 attempts/);
  });

  it('waits a Retry-After under the cap in full', async () => {
    h.emulator.setFault({ rateLimitRate: 1, retryAfterSeconds: 0.3 });
    const started = Date.now();
    try {
      await caught(h.client({ retry: { limit: 1, maxRetryAfterMs: 10_000, baseDelayMs: 5 } }).getLimits());
    } finally {
      h.emulator.setFault({ rateLimitRate: 0, retryAfterSeconds: 1 });
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('retries a GET answered 500 `limit` times with its own backoff, then reports the attempts', async () => {
    const start = h.emulator.requestLog.length;
    h.emulator.setFault({ errorRate: 1 });
    const started = Date.now();
    let error: ApiError;
    try {
      error = await caught(h.client({ retry: { limit: 2, maxRetryAfterMs: 100, baseDelayMs: 100 } }).getLimits());
    } finally {
      h.emulator.setFault({ errorRate: 0 });
    }
    const elapsed = Date.now() - started;
    expect(faultsSince(start, 'error')).toBe(3);
    // Backoff with jitter from 100 ms: 50–100, then 100–200 (got's own default would wait 1 s, then 2 s).
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(1_000);
    expect(error.message).toBe('get endpoint limits failed: HTTP 500 UNKNOWN: internal server error (injected by the emulator) after 3 attempts');
  });

  it('never retries a create: a 429 on create is surfaced after exactly one request', async () => {
    const before = createRequests(h.emulator).length;
    h.emulator.setFault({ rateLimitRate: 1, retryAfterSeconds: 0 });
    let error: ApiError;
    try {
      error = await caught(h.api.createEndpoint(minimalConfig('not-retried-429')));
    } finally {
      h.emulator.setFault({ rateLimitRate: 0, retryAfterSeconds: 1 });
    }
    expect(error).toMatchObject({ status: 429, reason: 'RATE_LIMIT_EXCEEDED' });
    expect(error.message).not.toMatch(/attempts/);
    expect(createRequests(h.emulator).length - before).toBe(1);
  });

  it('never retries a create: a 500 on create is surfaced after exactly one request', async () => {
    const before = createRequests(h.emulator).length;
    h.emulator.setFault({ errorRate: 1 });
    let error: ApiError;
    try {
      error = await caught(h.api.createEndpoint(minimalConfig('not-retried')));
    } finally {
      h.emulator.setFault({ errorRate: 0 });
    }
    expect(error).toMatchObject({ status: 500, reason: 'UNKNOWN', responseLost: false });
    expect(createRequests(h.emulator).length - before).toBe(1);
  });

  it('surfaces a create whose response was dropped as responseLost, and the endpoint exists server-side', async () => {
    const before = createRequests(h.emulator).length;
    const idsBefore = new Set(h.emulator.listIds());
    h.emulator.setFault({ dropRate: 1 });
    let error: ApiError;
    try {
      error = await caught(h.api.createEndpoint(minimalConfig('dropped')));
    } finally {
      h.emulator.setFault({ dropRate: 0 });
    }
    expect(error).toMatchObject({ status: undefined, reason: 'NETWORK', responseLost: true, operation: 'create endpoint dropped' });
    expect(error.message).toMatch(/may have reached the server/);
    expect(createRequests(h.emulator).length - before).toBe(1);

    const created = h.emulator.listIds().filter((id) => !idsBefore.has(id));
    expect(created).toHaveLength(1);
    // The caller can find it by name and adopt it.
    const live = await h.api.listEndpoints();
    expect(live.find((endpoint) => endpoint.config.name === 'dropped')?.id).toBe(created[0]);
  });
});

describe('delete that takes a moment to show', () => {
  const h = useEmulator({ deleteDelayMs: 200 });

  it('waits until the endpoint is gone before returning', async () => {
    const { id } = await h.api.createEndpoint(minimalConfig('slow-delete'));
    const started = Date.now();
    await h.client({ deleteConfirm: { timeoutMs: 5_000, intervalMs: 20 } }).deleteEndpoint(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect((await caught(h.api.getEndpoint(id))).isNotFound).toBe(true);
  });
});
