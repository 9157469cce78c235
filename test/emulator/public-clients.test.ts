/**
 * The emulator against what public clients of the real service send. Part one replays their
 * request shapes, written out from their public source (cited per case, not copied): the
 * official Python CLI (github.com/novitalabs/novita-cli, novita_cli/novita_cli.py and
 * novita_cli/core/client.py) and the Go project waverless (github.com/WaveSpeedAI/waverless,
 * pkg/provider/novita/types.go). Part two runs the official CLI itself, when python3 with click
 * and requests and the CLI's source are available; the project's CI does not need Python.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor } from './helpers.js';
import type { Client } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0, seed: 11 });
  client = clientFor(emulator);
});
afterAll(() => emulator.stop());

describe('request shapes of the official CLI', () => {
  // `serverless create`: its defaults (rootfsSize 100, one local 30 GB volume at /workspace,
  // queue policy 1, maxConcurrent 1, freeTimeout 300), no requestTimeout, port as a string.
  const created = async () => {
    const answer = await client.post('/endpoint/create', {
      endpoint: {
        rootfsSize: 100,
        workerConfig: { minNum: 0, maxNum: 1, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1 },
        ports: [{ port: '8080' }],
        policy: { type: 'queue', value: 1 },
        image: { image: 'nginx:1.27' },
        volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
        healthy: { path: '/health' },
        products: [{ id: '1' }],
        name: 'official-cli',
      },
    });
    expect(answer.status).toBe(200);
    return answer.body.id as string;
  };

  it('create, list with pageNum=0, get, update with what get answered, delete by name', async () => {
    const id = await created();
    const listed = await client.get('/endpoints?pageSize=20&pageNum=0');
    expect(listed.body.endpoints.map((endpoint: { id: string }) => endpoint.id)).toContain(id);
    const { endpoint } = (await client.get(`/endpoint?id=${id}`)).body;
    // `serverless update ID --max-workers 3`: workerConfig rebuilt from get's strings, ports,
    // policy and image as get answered them, nothing else.
    const update = await client.post('/endpoint/update', {
      id,
      workerConfig: {
        minNum: endpoint.workerConfig.minNum,
        maxNum: 3,
        freeTimeout: endpoint.workerConfig.freeTimeout,
        maxConcurrent: endpoint.workerConfig.maxConcurrent,
        gpuNum: endpoint.workerConfig.gpuNum,
      },
      ports: endpoint.ports,
      policy: endpoint.policy,
      image: endpoint.image,
    });
    expect(update.status).toBe(200);
    expect((await client.get(`/endpoint?id=${id}`)).body.endpoint.workerConfig.maxNum).toBe(3);
    expect((await client.post('/endpoint/delete', { name: id })).status).toBe(200);
    expect((await client.get(`/endpoint?id=${id}`)).body.reason).toBe('SERVERLESS_ENDPOINT_NOT_FOUND');
  });

  it('storage list without a query at /networkstorages, create, and delete by id', async () => {
    expect((await client.get('/networkstorages')).status).toBe(200);
    const storage = await client.post('/networkstorage/create', { clusterId: 'cn-east-1', storageName: 'cli', storageSize: 10 });
    expect(storage.body.id).toEqual(expect.any(String));
    expect((await client.post('/networkstorage/delete', { id: storage.body.id })).status).toBe(200);
  });
});

describe('request shapes of waverless', () => {
  it('update carries appName, products, rootfsSize, string numbers, null workers; delete by id; auths saved and deleted', async () => {
    const id = (
      await client.post('/endpoint/create', {
        endpoint: {
          name: 'waverless-made',
          appName: 'waverless-made',
          workerConfig: { minNum: 0, maxNum: 2, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1, requestTimeout: 3600 },
          ports: [{ port: 8000 }],
          policy: { type: 'queue', value: 60 },
          image: { image: 'ghcr.io/acme/worker:1' },
          products: [{ id: '1' }],
          rootfsSize: 50,
          healthy: { path: '/health' },
        },
      })
    ).body.id as string;
    // UpdateEndpointRequest: the response's string-typed workerConfig and policy value sent back.
    const update = await client.post('/endpoint/update', {
      id,
      name: 'waverless-made',
      appName: 'waverless-made',
      workerConfig: { minNum: 0, maxNum: 4, freeTimeout: '300', maxConcurrent: '1', gpuNum: 1, requestTimeout: 3600, cudaVersion: '' },
      policy: { type: 'queue', value: '60' },
      image: { image: 'ghcr.io/acme/worker:2' },
      rootfsSize: 50,
      volumeMounts: [],
      ports: [{ port: 8000 }],
      workers: null,
      products: [{ id: '1' }],
      healthy: { path: '/health' },
    });
    expect(update.status).toBe(200);
    expect((await client.get(`/endpoint?id=${id}`)).body.endpoint).toMatchObject({
      rootfsSize: 50,
      workerConfig: { maxNum: 4, requestTimeout: 3600 },
    });
    expect((await client.post('/endpoint/delete', { id })).status).toBe(200);
    const auth = await client.post('/repository/auth/save', { name: 'ghcr.io', username: 'bot', password: 'token' });
    expect((await client.post('/repository/auth/delete', { id: auth.body.id })).status).toBe(200);
  });
});

/** Where the official CLI's Python package is: $NOVITA_CLI_SOURCE (a checkout), or installed. */
function findOfficialCli(): { pythonPath: string } | { skip: string } {
  const probe = spawnSync('python3', ['-c', 'import click, requests'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skip: 'python3 with click and requests is not available' };
  const source = process.env['NOVITA_CLI_SOURCE'];
  if (source !== undefined && existsSync(path.join(source, 'novita_cli', 'core', 'client.py'))) return { pythonPath: source };
  const installed = spawnSync('python3', ['-c', 'import novita_cli.core.client'], { encoding: 'utf8' });
  if (installed.status === 0) return { pythonPath: '' };
  return { skip: 'the official CLI is neither installed (pip install novita) nor checked out at $NOVITA_CLI_SOURCE' };
}

const official = findOfficialCli();
if ('skip' in official) {
  // A visible reason, not a silent pass: the case below is skipped, and says why.
  process.stderr.write(`official CLI test skipped: ${official.skip}\n`);
}
const describeOfficial = 'skip' in official ? describe.skip : describe;

/**
 * Runs one command of the official CLI. Its API root is a module constant (the Novita host);
 * it is pointed at the emulator on loopback before the command runs, and proxies are bypassed.
 * The CLI reads its key only from NOVITA_API_KEY; it has no config file.
 */
function novita(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const driver = [
    'import sys',
    'import novita_cli.core.client as api',
    'api.BASE_URL = sys.argv[1]',
    'from novita_cli.novita_cli import cli',
    "cli.main(args=sys.argv[2:], prog_name='novita', obj={})",
  ].join('\n');
  const pythonPath = 'pythonPath' in official ? official.pythonPath : '';
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], PYTHONPATH: pythonPath, NOVITA_API_KEY: 'official-cli', NO_PROXY: '*' };
  // Asynchronous: the emulator answers from this same process.
  return new Promise((resolve) => {
    execFile('python3', ['-c', driver, emulator.url, ...args], { encoding: 'utf8', timeout: 30_000, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ status: code, stdout, stderr });
    });
  });
}

describeOfficial('the official CLI against the emulator', () => {
  it('runs every serverless command, storage list/create/delete and clusters', async () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const firstRequest = emulator.requestLog.length;
    const created = await novita(['serverless', 'create', '--name', 'from-cli', '--image', 'nginx:1.27', '--port', '8080', '--product-id', '1']);
    expect(created).toMatchObject({ status: 0 });
    const id = /Endpoint created: ([0-9a-f]{16})/.exec(created.stdout)?.[1] ?? '';
    expect(id).not.toBe('');

    const listed = await novita(['--json-output', 'serverless', 'list']);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).endpoints.map((endpoint: { id: string }) => endpoint.id)).toContain(id);
    expect((await novita(['serverless', 'get', id])).stdout).toContain(`id: ${id}`);

    const updated = await novita(['serverless', 'update', id, '--max-workers', '3']);
    expect(updated).toMatchObject({ status: 0, stdout: `Endpoint ${id} updated.\n` });
    expect(emulator.requestLog.filter((entry) => entry.path === '/endpoint/update').at(-1)?.status).toBe(200);

    expect(await novita(['gpu', 'clusters'])).toMatchObject({ status: 0, stdout: expect.stringContaining('cn-east-1') });
    expect(await novita(['storage', 'list'])).toMatchObject({ status: 0, stdout: expect.stringContaining('models') });
    const storage = await novita(['storage', 'create', '--cluster-id', 'cn-east-1', '--name', 'cli-volume', '--size', '20']);
    const storageId = /Storage created: (\S+)/.exec(storage.stdout)?.[1] ?? '';
    expect(storageId).not.toBe('');
    expect(await novita(['storage', 'delete', storageId])).toMatchObject({ status: 0 });

    expect(await novita(['serverless', 'delete', id])).toMatchObject({ status: 0, stdout: `Endpoint ${id} deleted.\n` });
    expect(emulator.listIds()).not.toContain(id);
    // Every request the CLI sent was answered 2xx.
    expect(emulator.requestLog.slice(firstRequest).filter((entry) => entry.status >= 400 || entry.status === 0)).toEqual([]);
  });
});
