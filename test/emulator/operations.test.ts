import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, createEndpoint, updateBody, validEndpoint } from './helpers.js';
import type { Client } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, seed: 7 });
  client = clientFor(emulator);
});
afterAll(() => emulator.stop());

describe('create', () => {
  it('answers {"id"} with 16 lowercase hex characters and stores the endpoint', async () => {
    const answer = await client.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = 'create-shape')) });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual(['id']);
    expect(answer.body.id).toMatch(/^[0-9a-f]{16}$/);
    expect(emulator.listIds()).toContain(answer.body.id);
  });

  it('takes a create without workerConfig.requestTimeout (older clients omit it) and fills it in, with the cluster', async () => {
    const id = await createEndpoint(client, (e) => {
      e.appName = 'no-request-timeout';
      delete e.workerConfig.requestTimeout;
    });
    const { body } = await client.get(`/endpoint?id=${id}`);
    expect(body.endpoint.workerConfig.requestTimeout).toBe(300);
    // Product "1" is an RTX 4090; cn-east-1 is the first cluster offering it.
    expect(body.endpoint.clusterID).toBe('cn-east-1');
  });

  it('defaults appName to the id and builds the url from both', async () => {
    const id = await createEndpoint(client, (e) => delete e.appName);
    const { body } = await client.get(`/endpoint?id=${id}`);
    expect(body.endpoint.appName).toBe(id);
    expect(body.endpoint.url).toBe(`https://${id}-${id}.runsync.serverless.ppinfra.com`);
  });

  it('accepts the port as a number as well as the documented string', async () => {
    const id = await createEndpoint(client, (e) => {
      e.appName = 'numeric-port';
      e.ports = [{ port: 9000 }];
    });
    const { body } = await client.get(`/endpoint?id=${id}`);
    expect(body.endpoint.ports).toEqual([{ port: 9000 }]);
  });
});

describe('get', () => {
  it('returns the live object with the documented quirks', async () => {
    const id = await createEndpoint(client, (e) => {
      e.appName = 'quirks';
      delete e.image.command;
    });
    const answer = await client.get(`/endpoint?id=${id}`);
    expect(answer.status).toBe(200);
    const live = answer.body.endpoint;
    expect(live).toMatchObject({
      id,
      name: 'sdxl-turbo',
      appName: 'quirks',
      url: `https://${id}-quirks.runsync.serverless.ppinfra.com`,
      state: { state: 'serving', error: '', message: '' },
      workerConfig: { minNum: 1, maxNum: 4, freeTimeout: '300', maxConcurrent: '2', gpuNum: 1, requestTimeout: 120, cudaVersion: '' },
      ports: [{ port: 8080 }],
      policy: { type: 'queue', value: '30' },
      image: { image: 'ghcr.io/acme/sdxl:1.4.2', authId: '', command: '' },
      products: [{ id: '1' }],
      rootfsSize: 100,
      volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
      clusterID: 'cn-east-1',
      envs: [{ key: 'MODEL', value: 'sdxl-turbo' }],
      log: '',
    });
    // The probe timings observed on the real service (s).
    expect(live.healthy).toEqual({ path: '/health', initialDelay: 10, period: 10, timeout: 10, successThreshold: 1, failureThreshold: 3 });
    expect(live.workers).toHaveLength(1);
    // metrics is a string in real responses.
    expect(live.workers[0]).toMatchObject({ state: { state: 'running', error: '', message: '' }, healthy: true, log: '', metrics: '' });
  });

  it('answers 400 SERVERLESS_ENDPOINT_NOT_FOUND for an unknown id', async () => {
    const answer = await client.get('/endpoint?id=0123456789abcdef');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      code: 400,
      reason: 'SERVERLESS_ENDPOINT_NOT_FOUND',
      message: 'endpoint 0123456789abcdef not found',
      metadata: {},
    });
  });

  it('refuses a get without an id', async () => {
    const answer = await client.get('/endpoint');
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('VALIDATOR_PARAM');
  });
});

describe('list', () => {
  let paged: EmulatorHandle;
  let pagedClient: Client;
  const ids: string[] = [];

  beforeAll(async () => {
    paged = await startEmulator({ readyAfterMs: 0, pageSizeMax: 4 });
    pagedClient = clientFor(paged);
    for (let index = 0; index < 7; index++) ids.push(await createEndpoint(pagedClient, (e) => (e.appName = `paged-${index}`)));
  });
  afterAll(() => paged.stop());

  it('returns endpoints in creation order with the total, the port as a string', async () => {
    const answer = await pagedClient.get('/endpoints?pageSize=3&pageNum=1');
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(7);
    expect(answer.body.endpoints.map((e: { id: string }) => e.id)).toEqual(ids.slice(0, 3));
    expect(answer.body.endpoints[0].ports).toEqual([{ port: '8080' }]);
    expect(answer.body.endpoints[0].workerConfig.freeTimeout).toBe('300');
  });

  it('treats pageNum 0 and 1 alike as the first page', async () => {
    const zero = await pagedClient.get('/endpoints?pageSize=3&pageNum=0');
    const one = await pagedClient.get('/endpoints?pageSize=3&pageNum=1');
    expect(zero.body).toEqual(one.body);
  });

  it('serves the last, partial page and an empty page past the end', async () => {
    const last = await pagedClient.get('/endpoints?pageSize=3&pageNum=3');
    expect(last.body.endpoints.map((e: { id: string }) => e.id)).toEqual(ids.slice(6));
    const past = await pagedClient.get('/endpoints?pageSize=3&pageNum=4');
    expect(past.body).toEqual({ endpoints: [], total: 7 });
  });

  it('caps pageSize at pageSizeMax, so clients must page until total', async () => {
    const answer = await pagedClient.get('/endpoints?pageSize=1000&pageNum=2');
    expect(answer.body.endpoints.map((e: { id: string }) => e.id)).toEqual(ids.slice(4, 7));
    expect(answer.body.total).toBe(7);
  });

  it('answers every endpoint to a list without a query, as three public clients list', async () => {
    const answer = await pagedClient.get('/endpoints');
    expect(answer.status).toBe(200);
    expect(answer.body.endpoints).toHaveLength(answer.body.total);
  });

  it('refuses a list with a non-numeric or zero pageSize', async () => {
    for (const query of ['?pageSize=abc&pageNum=1', '?pageSize=0']) {
      const answer = await pagedClient.get(`/endpoints${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.reason).toBe('VALIDATOR_PARAM');
    }
  });
});

describe('update', () => {
  it('replaces the whole config: fields left out are cleared', async () => {
    const id = await createEndpoint(client, (e) => {
      e.appName = 'full-replace';
      e.clusterID = 'cn-east-1';
    });
    const answer = await client.post('/endpoint/update', {
      id,
      ...updateBody(id, (e) => {
        delete e.envs;
        delete e.volumeMounts;
        delete e.healthy;
        delete e.name;
        delete e.image.command;
        delete e.clusterID;
        e.workerConfig.maxNum = 8;
      }),
    });
    expect(answer).toMatchObject({ status: 200, body: {} });
    const { endpoint } = (await client.get(`/endpoint?id=${id}`)).body;
    expect(endpoint).toMatchObject({ name: '', envs: [], volumeMounts: [], clusterID: '', healthy: { path: '' } });
    expect(endpoint.image.command).toBe('');
    expect(endpoint.workerConfig.maxNum).toBe(8);
    expect(endpoint.appName).toBe('full-replace');
    expect(endpoint.products).toEqual([{ id: '1' }]);
    expect(endpoint.rootfsSize).toBe(100);
  });

  it('keeps the appName when the body repeats it and refuses a different one', async () => {
    const id = await createEndpoint(client, (e) => (e.appName = 'immutable-app'));
    const same = await client.post('/endpoint/update', { ...updateBody(id), appName: 'immutable-app' });
    expect(same.status).toBe(200);
    const changed = await client.post('/endpoint/update', { ...updateBody(id), appName: 'renamed' });
    expect(changed.status).toBe(400);
    expect(changed.body.reason).toBe('VALIDATOR_PARAM');
    expect(changed.body.message).toMatch(/appName cannot be changed/);
  });

  it('refuses a change of products or rootfsSize, which need a new endpoint', async () => {
    const id = await createEndpoint(client, (e) => (e.appName = 'fixed-fields'));
    const products = await client.post(
      '/endpoint/update',
      updateBody(id, (e) => (e.products = [{ id: '2' }])),
    );
    expect(products.status).toBe(400);
    expect(products.body.message).toMatch(/products cannot be changed/);
    const same = await client.post('/endpoint/update', updateBody(id));
    expect(same.status).toBe(200);
  });

  it('validates the body like a create', async () => {
    const id = await createEndpoint(client, (e) => (e.appName = 'update-validated'));
    const answer = await client.post(
      '/endpoint/update',
      updateBody(id, (e) => (e.ports = [{ port: '2222' }])),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('VALIDATOR_PARAM');
  });

  it('answers 400 SERVERLESS_ENDPOINT_NOT_FOUND for an unknown id', async () => {
    const answer = await client.post('/endpoint/update', updateBody('fedcba9876543210'));
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('SERVERLESS_ENDPOINT_NOT_FOUND');
  });
});

describe('delete', () => {
  it.each([
    ['id', (id: string) => ({ id })],
    ['name', (id: string) => ({ name: id })],
    ['both', (id: string) => ({ id, name: id })],
  ])('deletes by %s and the endpoint disappears from get and list', async (field, bodyFor) => {
    const id = await createEndpoint(client, (e) => (e.appName = `delete-by-${field}`));
    const answer = await client.post('/endpoint/delete', bodyFor(id));
    expect(answer).toMatchObject({ status: 200, body: {} });
    expect((await client.get(`/endpoint?id=${id}`)).body.reason).toBe('SERVERLESS_ENDPOINT_NOT_FOUND');
    expect(emulator.listIds()).not.toContain(id);
    const list = await client.get('/endpoints?pageSize=100&pageNum=1');
    expect(list.body.endpoints.map((e: { id: string }) => e.id)).not.toContain(id);
  });

  it('frees the appName of a deleted endpoint', async () => {
    const id = await createEndpoint(client, (e) => (e.appName = 'reusable'));
    await client.post('/endpoint/delete', { id });
    expect(await createEndpoint(client, (e) => (e.appName = 'reusable'))).not.toBe(id);
  });

  it('answers 400 SERVERLESS_ENDPOINT_NOT_FOUND for an unknown id and refuses an empty body', async () => {
    const unknown = await client.post('/endpoint/delete', { id: '1111111111111111' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.reason).toBe('SERVERLESS_ENDPOINT_NOT_FOUND');
    const empty = await client.post('/endpoint/delete', {});
    expect(empty.status).toBe(400);
    expect(empty.body.reason).toBe('VALIDATOR_PARAM');
  });
});

describe('account data', () => {
  it('answers /endpoint/limit with ranges wide enough for the values real clients send', async () => {
    const { status, body } = await client.get('/endpoint/limit');
    expect(status).toBe(200);
    expect(body).toMatchObject({ minWorkerNum: 0, maxWorkerNum: 1000, minGPUNum: 1, maxGPUNum: 8 });
    // rootfsSize 50 and 130 and requestTimeout 3600 are in real use.
    expect(body.minRootfsSize).toBeLessThanOrEqual(50);
    expect(body.maxRootfsSize).toBeGreaterThanOrEqual(130);
    expect(body.maxRequestTimeout).toBeGreaterThanOrEqual(3600);
    expect(body.cudaVersionList.length).toBeGreaterThan(0);
  });

  it('lists clusters, network storages and registry auths in their documented shapes', async () => {
    const clusters = (await client.get('/clusters')).body;
    expect(clusters.data[0]).toEqual({ id: 'cn-east-1', name: expect.any(String), availableGpuType: expect.any(Array), supportNetworkStorage: true });
    const storages = (await client.get('/networkstorages/list?pageNo=1&pageSize=10')).body;
    expect(storages.total).toBe(2);
    expect(Object.keys(storages.data[0]).sort()).toEqual(['clusterId', 'clusterName', 'storageId', 'storageName', 'storageSize']);
    const filtered = (await client.get('/networkstorages/list?storageId=nope')).body;
    expect(filtered).toEqual({ data: [], total: 0 });
    const auths = (await client.get('/repository/auths')).body;
    expect(Object.keys(auths.data[0]).sort()).toEqual(['id', 'name', 'password', 'username']);
  });

  it('serves the seed data given in the options', async () => {
    const custom = await startEmulator({
      clusters: [{ id: 'eu-1', name: 'EU 1', availableGpuType: [], supportNetworkStorage: true }],
      storages: [{ storageId: 'vol-a', storageName: 'a', storageSize: 10, clusterId: 'eu-1', clusterName: 'EU 1' }],
      auths: [],
    });
    try {
      const customClient = clientFor(custom);
      expect((await customClient.get('/clusters')).body.data.map((c: { id: string }) => c.id)).toEqual(['eu-1']);
      expect((await customClient.get('/repository/auths')).body).toEqual({ data: [] });
      const create = await customClient.post('/endpoint/create', {
        endpoint: validEndpoint((e) => {
          e.clusterID = 'eu-1';
          e.volumeMounts = [{ type: 'network', id: 'vol-a', mountPath: '/models' }];
        }),
      });
      expect(create.status).toBe(200);
    } finally {
      await custom.stop();
    }
  });
});
