import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, createEndpoint, validEndpoint } from './helpers.js';
import type { Client, Json } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0 });
  client = clientFor(emulator);
});
afterAll(() => emulator.stop());

const NETWORK_MOUNT = { type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models' };

/** [case, change to a valid endpoint, expected reason, message fragment] */
const refused: [string, (e: Json) => void, string, RegExp][] = [
  ['missing workerConfig', (e) => delete e.workerConfig, 'VALIDATOR_PARAM', /endpoint\.workerConfig is required/],
  ['missing workerConfig.minNum', (e) => delete e.workerConfig.minNum, 'VALIDATOR_PARAM', /workerConfig\.minNum is required/],
  ['missing workerConfig.gpuNum', (e) => delete e.workerConfig.gpuNum, 'VALIDATOR_PARAM', /workerConfig\.gpuNum is required/],
  ['missing ports', (e) => delete e.ports, 'VALIDATOR_PARAM', /exactly one port \(got 0\)/],
  ['missing policy', (e) => delete e.policy, 'VALIDATOR_PARAM', /endpoint\.policy is required/],
  ['missing image.image', (e) => (e.image = { command: 'x' }), 'VALIDATOR_PARAM', /image\.image is required/],
  ['empty image.image', (e) => (e.image.image = ''), 'VALIDATOR_PARAM', /image\.image is required/],
  ['missing products', (e) => delete e.products, 'VALIDATOR_PARAM', /products is required/],
  ['missing rootfsSize', (e) => delete e.rootfsSize, 'VALIDATOR_PARAM', /rootfsSize is required/],
  ['missing healthy', (e) => delete e.healthy, 'VALIDATOR_PARAM', /healthy is required/],
  ['missing healthy.path', (e) => (e.healthy = {}), 'VALIDATOR_PARAM', /healthy\.path is required/],
  ['two ports', (e) => (e.ports = [{ port: '8080' }, { port: '8081' }]), 'VALIDATOR_PARAM', /exactly one port \(got 2\)/],
  ['reserved port as a string', (e) => (e.ports = [{ port: '2222' }]), 'VALIDATOR_PARAM', /2222 is an internal port/],
  ['reserved port as a number', (e) => (e.ports = [{ port: 2224 }]), 'VALIDATOR_PARAM', /2224 is an internal port/],
  ['reserved port 2223', (e) => (e.ports = [{ port: '2223' }]), 'VALIDATOR_PARAM', /2223 is an internal port/],
  ['port 0', (e) => (e.ports = [{ port: '0' }]), 'VALIDATOR_PARAM', /out of range 1-65535/],
  ['port 65536', (e) => (e.ports = [{ port: 65536 }]), 'VALIDATOR_PARAM', /out of range 1-65535/],
  ['port not digits', (e) => (e.ports = [{ port: 'http' }]), 'VALIDATOR_PARAM', /port must be a port number/],
  ['unknown policy type', (e) => (e.policy.type = 'cpu'), 'VALIDATOR_PARAM', /"queue" or "concurrency"/],
  ['minNum above maxNum', (e) => (e.workerConfig.minNum = 5), 'VALIDATOR_PARAM', /must not exceed maxNum/],
  ['maxNum above the limit', (e) => (e.workerConfig.maxNum = 1001), 'VALIDATOR_PARAM', /maxNum 1001 is out of range 0-1000/],
  ['freeTimeout 0', (e) => (e.workerConfig.freeTimeout = 0), 'VALIDATOR_PARAM', /freeTimeout 0 is out of range 1-3600/],
  ['gpuNum above the limit', (e) => (e.workerConfig.gpuNum = 9), 'VALIDATOR_PARAM', /gpuNum 9 is out of range 1-8/],
  ['requestTimeout above the limit', (e) => (e.workerConfig.requestTimeout = 3601), 'VALIDATOR_PARAM', /requestTimeout 3601 is out of range 1-3600/],
  ['queue wait above the limit', (e) => (e.policy.value = 1001), 'VALIDATOR_PARAM', /policy\.value 1001/],
  ['rootfsSize above the limit', (e) => (e.rootfsSize = 501), 'VALIDATOR_PARAM', /rootfsSize 501 is out of range 10-500/],
  ['local volume size below the limit', (e) => (e.volumeMounts[0].size = 5), 'VALIDATOR_PARAM', /size 5 is out of range 10-500/],
  ['local volume with an id', (e) => (e.volumeMounts[0].id = 'ns-7f3a9c1e2b4d6a80'), 'VALIDATOR_PARAM', /id is only for network volumes/],
  ['local volume without a size', (e) => delete e.volumeMounts[0].size, 'VALIDATOR_PARAM', /volumeMounts\[0\]\.size is required/],
  ['volume of unknown type', (e) => (e.volumeMounts[0].type = 'nfs'), 'VALIDATOR_PARAM', /"local" or "network"/],
  ['volume without mountPath', (e) => delete e.volumeMounts[0].mountPath, 'VALIDATOR_PARAM', /mountPath is required/],
  [
    'network volume with a size',
    (e) => {
      e.clusterID = 'cn-east-1';
      e.volumeMounts = [{ ...NETWORK_MOUNT, size: 30 }];
    },
    'VALIDATOR_PARAM',
    /size is only for local volumes/,
  ],
  ['network volume without clusterID', (e) => (e.volumeMounts = [NETWORK_MOUNT]), 'VALIDATOR_PARAM', /clusterID is required when a network volume/],
  [
    "clusterID not the storage's cluster",
    (e) => {
      e.clusterID = 'us-west-1';
      e.volumeMounts = [NETWORK_MOUNT];
    },
    'VALIDATOR_PARAM',
    /does not match network storage/,
  ],
  ['unknown clusterID', (e) => (e.clusterID = 'mars-1'), 'VALIDATOR_PARAM', /cluster mars-1 not found/],
  [
    'unknown network storage',
    (e) => {
      e.clusterID = 'cn-east-1';
      e.volumeMounts = [{ ...NETWORK_MOUNT, id: 'ns-missing' }];
    },
    'NETWORK_STORAGE_NOT_FOUND',
    /ns-missing/,
  ],
  ['unknown product', (e) => (e.products = [{ id: '999' }]), 'SERVERLESS_PRODUCT_NOT_FOUND', /product 999/],
  ['unknown registry auth', (e) => (e.image.authId = 'auth-missing'), 'VALIDATOR_PARAM', /registry auth auth-missing not found/],
  ['appName with capitals', (e) => (e.appName = 'SDXL'), 'VALIDATOR_PARAM', /appName "SDXL" is invalid/],
  ['appName ending with a hyphen', (e) => (e.appName = 'sdxl-'), 'VALIDATOR_PARAM', /appName "sdxl-" is invalid/],
  ['appName with an underscore', (e) => (e.appName = 'sd_xl'), 'VALIDATOR_PARAM', /is invalid/],
  ['name over 220 characters', (e) => (e.name = 'n'.repeat(221)), 'VALIDATOR_PARAM', /name must be at most 220/],
  ['image over 511 characters', (e) => (e.image.image = 'i'.repeat(512)), 'VALIDATOR_PARAM', /image\.image must be at most 511/],
  ['command over 2047 characters', (e) => (e.image.command = 'c'.repeat(2048)), 'VALIDATOR_PARAM', /command must be at most 2047/],
  ['minNum as a string', (e) => (e.workerConfig.minNum = '1'), 'VALIDATOR_PARAM', /minNum must be an integer/],
  ['fractional maxNum', (e) => (e.workerConfig.maxNum = 1.5), 'VALIDATOR_PARAM', /maxNum must be an integer/],
  ['envs not an array', (e) => (e.envs = { MODEL: 'x' }), 'VALIDATOR_PARAM', /envs must be an array/],
  ['env without a key', (e) => (e.envs = [{ value: 'x' }]), 'VALIDATOR_PARAM', /envs\[0\]\.key is required/],
  ['workerConfig not an object', (e) => (e.workerConfig = 'big'), 'VALIDATOR_PARAM', /workerConfig must be a JSON object/],
];

describe('create validation', () => {
  it.each(refused)('refuses %s', async (_case, change, reason, message) => {
    const before = emulator.endpointCount();
    const answer = await client.post('/endpoint/create', {
      endpoint: validEndpoint((e) => {
        e.appName = 'refused';
        change(e);
      }),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 400, reason, message: expect.stringMatching(message), metadata: {} });
    expect(emulator.endpointCount()).toBe(before);
  });

  it('refuses a body without the endpoint wrapper', async () => {
    const answer = await client.post('/endpoint/create', validEndpoint());
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe('endpoint is required');
  });

  it('refuses a duplicate appName with SERVERLESS_APP_NAME_IS_EXIST', async () => {
    await createEndpoint(client, (e) => (e.appName = 'taken'));
    const answer = await client.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = 'taken')) });
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('SERVERLESS_APP_NAME_IS_EXIST');
  });

  it.each<[string, (e: Json) => void]>([
    ['scale to zero', (e) => (e.workerConfig.minNum = 0)],
    ['no requestTimeout', (e) => delete e.workerConfig.requestTimeout],
    ['no volumes', (e) => delete e.volumeMounts],
    [
      'no envs and no name',
      (e) => {
        delete e.envs;
        delete e.name;
      },
    ],
    [
      "a network volume in the storage's cluster",
      (e) => {
        e.clusterID = 'cn-east-1';
        e.volumeMounts = [NETWORK_MOUNT];
      },
    ],
    ['a concurrency policy', (e) => (e.policy = { type: 'concurrency', value: 1000 })],
    ['a known registry auth', (e) => (e.image.authId = 'auth-1f2e3d4c5b6a7980')],
    [
      'null optional fields',
      (e) => {
        e.envs = null;
        e.clusterID = null;
        e.image.command = null;
      },
    ],
    ['fields the service does not know', (e) => (e.description = 'ignored')],
  ])('accepts %s', async (_case, change) => {
    const answer = await client.post('/endpoint/create', {
      endpoint: validEndpoint((e) => {
        delete e.appName;
        change(e);
      }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toMatch(/^[0-9a-f]{16}$/);
  });
});
