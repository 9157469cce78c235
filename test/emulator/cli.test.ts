import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { cliPath, runCli, tempProject } from '../helpers/cli.js';
import { PREFIX, validEndpoint } from './helpers.js';

interface RunningEmulator {
  firstLine: string;
  url: string;
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Spawns the built CLI's emulator and resolves once its first stdout line is out. */
function spawnEmulator(args: string[]): Promise<RunningEmulator> {
  const child = spawn(process.execPath, [cliPath, 'emulator', ...args], { stdio: 'pipe', env: { ...process.env, NODE_OPTIONS: '' } });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line; stderr: ${stderr}`));
    }, 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const hadLine = stdout.includes('\n');
      stdout += chunk;
      if (hadLine || !stdout.includes('\n')) return;
      clearTimeout(timer);
      const firstLine = stdout.slice(0, stdout.indexOf('\n'));
      resolve({
        firstLine,
        url: firstLine.replace('ppio emulator listening on ', ''),
        stop: async () => {
          child.kill('SIGTERM');
          return { code: await exited, stdout, stderr };
        },
      });
    });
    exited.then((code) => reject(new Error(`emulator exited early (${code}): ${stderr}`)));
  });
}

describe('ppio-deploy emulator', () => {
  it('prints the listening URL first, serves the API, and exits 0 on SIGTERM', async () => {
    const emulator = await spawnEmulator(['--port', '0', '--ready-after', '0']);
    expect(emulator.firstLine).toMatch(/^ppio emulator listening on http:\/\/127\.0\.0\.1:[0-9]+$/);
    const answer = await fetch(`${emulator.url}${PREFIX}/endpoint/create`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: validEndpoint() }),
    });
    expect(answer.status).toBe(200);
    const { code, stdout, stderr } = await emulator.stop();
    expect(code).toBe(0);
    expect(stdout.split('\n')[1]).toBe(`export PPIO_BASE_URL=${emulator.url} PPIO_API_KEY=any-non-empty`);
    expect(stderr).toMatch(/POST \/endpoint\/create 200/);
  });

  it('keeps endpoints in --state across restarts and requires --api-key', async () => {
    const project = tempProject();
    try {
      const args = ['--state', 'state.json', '--api-key', 'sk-cli', '--cwd', project.dir];
      const first = await spawnEmulator(args);
      const create = await fetch(`${first.url}${PREFIX}/endpoint/create`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-cli' },
        body: JSON.stringify({ endpoint: validEndpoint() }),
      });
      const { id } = (await create.json()) as { id: string };
      expect((await first.stop()).code).toBe(0);
      const second = await spawnEmulator(args);
      const get = await fetch(`${second.url}${PREFIX}/endpoint?id=${id}`, { headers: { authorization: 'Bearer sk-cli' } });
      expect(get.status).toBe(200);
      const wrongKey = await fetch(`${second.url}${PREFIX}/endpoint?id=${id}`, { headers: { authorization: 'Bearer other' } });
      expect(wrongKey.status).toBe(403);
      const { code, stdout } = await second.stop();
      expect(code).toBe(0);
      expect(stdout).not.toContain('sk-cli');
    } finally {
      project.cleanup();
    }
  });

  it('serves the products and limits of --catalog, and stops enforcing a range the file leaves out', async () => {
    const catalog = {
      products: [{ id: 'SL-serverless-3', name: 'RTX 4090 24GB', pricePerGpuHour: 0.7 }],
      limits: { minWorkerNum: 0, maxWorkerNum: 10 },
    };
    const project = tempProject({ 'catalog.json': JSON.stringify(catalog) });
    const emulator = await spawnEmulator(['--catalog', 'catalog.json', '--cwd', project.dir]);
    try {
      const limits = await fetch(`${emulator.url}${PREFIX}/endpoint/limit`, { headers: { authorization: 'Bearer k' } });
      expect(await limits.json()).toEqual(catalog.limits);
      const create = (endpoint: Record<string, unknown>) =>
        fetch(`${emulator.url}${PREFIX}/endpoint/create`, {
          method: 'POST',
          headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
          body: JSON.stringify({ endpoint }),
        });
      const novita = validEndpoint((e) => {
        e.products = [{ id: 'SL-serverless-3' }];
        e.rootfsSize = 130;
        e.workerConfig.requestTimeout = 3600;
      });
      expect((await create(novita)).status).toBe(200);
      expect((await create(validEndpoint((e) => (e.appName = 'other')))).status).toBe(400); // product "1" is not in the file
    } finally {
      await emulator.stop();
      project.cleanup();
    }
  });

  it.each([
    ['{oops', /--catalog .*catalog\.json: .*JSON/],
    ['{"products": [{"id": "1", "name": "x"}]}', /products\[0\]\.pricePerGpuHour must be a non-negative number/],
    ['{"gpus": []}', /unknown section gpus/],
    ['{"limits": {"colour": 1}}', /limits\.colour is not a limit/],
  ])('exits 1 naming the problem in a bad --catalog file: %s', async (text, message) => {
    const project = tempProject({ 'catalog.json': text });
    try {
      const result = await runCli(['emulator', '--catalog', 'catalog.json', '--cwd', project.dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/at .*\.js/);
    } finally {
      project.cleanup();
    }
  });

  it.each([
    [['--error-rate', '1.5'], /--error-rate must be a number from 0 to 1/],
    [['--rate-limit-rate', 'lots'], /--rate-limit-rate must be a number/],
    [['--drop-rate', '-0.1'], /--drop-rate must be a number/],
    [['--latency', 'slow'], /--latency must be a number/],
    [['--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['--seed', 'abc'], /--seed must be an integer/],
    [['--host', '0.0.0.0'], /--host must be a loopback address/],
  ])('exits 1 naming the flag for %j', async (args, message) => {
    const result = await runCli(['emulator', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 1 with a clear message when the port is in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runCli(['emulator', '--port', String(port)]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
      expect(result.stderr).not.toMatch(/at .*\.js/);
    } finally {
      blocker.close();
    }
  });

  it('exits 1 without a stack trace when the state file is corrupt', async () => {
    const project = tempProject({ 'state.json': '{oops' });
    try {
      const result = await runCli(['emulator', '--state', 'state.json', '--cwd', project.dir]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/state\.json is not valid/);
      expect(result.stderr).not.toMatch(/at .*\.js/);
    } finally {
      project.cleanup();
    }
  });
});
