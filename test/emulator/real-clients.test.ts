/**
 * What public clients of the real service do that the docs do not say, and the emulator must
 * not contradict: numeric strings in update bodies, the official CLI's storage routes, the
 * registry-auth routes, endpoints made by other tools, a create that fails after it committed,
 * and a request log that stays small whatever clients send.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, createEndpoint, validEndpoint } from './helpers.js';
import type { Client } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, seed: 3, oddEndpoints: true });
  client = clientFor(emulator);
});
afterAll(() => emulator.stop());

describe('update bodies', () => {
  it('take back what get answered: numeric strings, a numeric port, probe timings, cudaVersion', async () => {
    const id = await createEndpoint(client, (e) => {
      e.appName = 'read-back';
      e.workerConfig.cudaVersion = '12.4';
    });
    const { endpoint } = (await client.get(`/endpoint?id=${id}`)).body;
    expect(endpoint.workerConfig.freeTimeout).toBe('300');
    const { url: _url, state: _state, workers: _workers, log: _log, ...config } = endpoint;
    config.workerConfig.maxNum = '6';
    const answer = await client.post('/endpoint/update', config);
    expect(answer.status).toBe(200);
    const after = (await client.get(`/endpoint?id=${id}`)).body.endpoint;
    expect(after.workerConfig).toMatchObject({ maxNum: 6, freeTimeout: '300', cudaVersion: '12.4' });
  });

  it('still refuse a string that is not a whole number', async () => {
    const id = await createEndpoint(client, (e) => (e.appName = 'not-a-number'));
    const body: Record<string, unknown> = { id, ...validEndpoint((e) => (e.workerConfig.maxNum = '6.5')) };
    delete body['appName'];
    const answer = await client.post('/endpoint/update', body);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/workerConfig\.maxNum must be an integer/);
  });
});

describe('network storages and registry auths', () => {
  it('creates, lists (at both paths) and deletes a storage the way the docs and the official CLI do', async () => {
    const created = await client.post('/networkstorage/create', { clusterId: 'us-dallas-nas-2', storageName: 'weights', storageSize: 200 });
    expect(created.status).toBe(200);
    const storageId = created.body.id as string;
    expect(created.body.storageId).toBe(storageId);
    for (const path of ['/networkstorages', '/networkstorages/list']) {
      const listed = (await client.get(path)).body;
      expect(listed.data).toContainEqual({
        storageId,
        storageName: 'weights',
        storageSize: 200,
        clusterId: 'us-dallas-nas-2',
        clusterName: 'US Dallas NAS 2',
      });
    }
    expect((await client.post('/networkstorage/delete', { id: storageId })).status).toBe(200);
    const again = await client.post('/networkstorage/delete', { storageId });
    expect(again.body.reason).toBe('NETWORK_STORAGE_NOT_FOUND');
  });

  it('refuses a storage in a cluster without network storage, and deleting one an endpoint mounts', async () => {
    expect((await client.post('/networkstorage/create', { clusterId: 'us-west-1', storageName: 'x', storageSize: 10 })).status).toBe(400);
    await createEndpoint(client, (e) => {
      e.appName = 'mounts-models';
      e.clusterID = 'cn-east-1';
      e.volumeMounts = [{ type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models' }];
    });
    const answer = await client.post('/networkstorage/delete', { storageId: 'ns-7f3a9c1e2b4d6a80' });
    expect(answer.body.reason).toBe('CONFLICT');
  });

  it('saves and deletes a registry auth, refusing one an endpoint pulls with', async () => {
    const saved = await client.post('/repository/auth/save', { name: 'dockerhub', username: 'bot', password: 'pw' });
    expect(saved.status).toBe(200);
    expect((await client.get('/repository/auths')).body.data).toContainEqual({
      id: saved.body.id,
      name: 'dockerhub',
      username: 'bot',
      password: 'pw',
    });
    await createEndpoint(client, (e) => {
      e.appName = 'private-image';
      e.image.authId = saved.body.id;
    });
    expect((await client.post('/repository/auth/delete', { id: saved.body.id })).body.reason).toBe('IMAGE_AUTH_IN_USE');
  });
});

describe('endpoints made by other tools (oddEndpoints)', () => {
  it('are listed and got as they are, with nulls and policy types v1 does not list', async () => {
    const listed = (await client.get('/endpoints?pageSize=100&pageNum=1')).body.endpoints as Record<string, any>[];
    const odd = listed.filter(
      (endpoint) => endpoint['ports'] === null || endpoint['policy']?.type === 'async-queue' || endpoint['workerConfig'] === null,
    );
    expect(odd.length).toBeGreaterThanOrEqual(2);
    const id = odd[0]!['id'] as string;
    expect((await client.get(`/endpoint?id=${id}`)).body.endpoint).toStrictEqual(odd[0]);
    expect((await client.post('/endpoint/update', { id, ...validEndpoint() })).status).toBe(400);
  });
});

describe('a create that fails after it committed (commitErrorRate)', () => {
  it('answers 500 although the endpoint exists', async () => {
    emulator.setFault({ commitErrorRate: 1 });
    try {
      const answer = await client.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = 'committed-anyway')) });
      expect(answer.status).toBe(500);
      expect(emulator.requestLog.at(-1)).toMatchObject({ status: 500, fault: 'error-after-commit' });
    } finally {
      emulator.setFault({ commitErrorRate: 0 });
    }
    const listed = (await client.get('/endpoints')).body.endpoints as { appName: string }[];
    expect(listed.filter((endpoint) => endpoint.appName === 'committed-anyway')).toHaveLength(1);
  });
});

describe('the request log', () => {
  it('keeps small bodies and only the size of large ones, refused or not', async () => {
    const big = validEndpoint((e) => (e.envs = [{ key: 'BLOB', value: 'x'.repeat(100_000) }]));
    await client.post('/endpoint/create', { endpoint: big });
    expect(emulator.requestLog.at(-1)).toMatchObject({ method: 'POST', bodyBytes: expect.any(Number) });
    expect(emulator.requestLog.at(-1)!.bodyBytes).toBeGreaterThan(100_000);
    expect(emulator.requestLog.at(-1)).not.toHaveProperty('body');
    await client.post('/endpoint/delete', { id: '0000000000000000' });
    expect(emulator.requestLog.at(-1)!.body).toStrictEqual({ id: '0000000000000000' });
  });
});
