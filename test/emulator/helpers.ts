/** Shared helpers for the emulator tests: a tiny fetch client and a valid create body. */
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle, EmulatorOptions } from '../../src/emulator/index.js';

export const PREFIX = '/gpu-instance/openapi/v1';
export const KEY = 'test-key';

export interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

export interface Client {
  get(path: string): Promise<Answer>;
  post(path: string, body: unknown): Promise<Answer>;
  raw(path: string, init: RequestInit): Promise<Answer>;
}

/** `key` null sends no Authorization header. */
export function clientFor(emulator: EmulatorHandle, key: string | null = KEY): Client {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  const raw = async (path: string, init: RequestInit): Promise<Answer> => {
    const response = await fetch(`${emulator.url}${PREFIX}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    raw,
    get: (path) => raw(path, { method: 'GET' }),
    post: (path, body) => raw(path, { method: 'POST', body: JSON.stringify(body) }),
  };
}

/** Starts an emulator for one test file and stops it afterwards. */
export async function withEmulator<T>(options: EmulatorOptions, use: (emulator: EmulatorHandle, client: Client) => Promise<T>): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await use(emulator, clientFor(emulator));
  } finally {
    await emulator.stop();
  }
}

export type Json = Record<string, any>;

/** A create body's `endpoint` object the service accepts; `change` edits a fresh copy. */
export function validEndpoint(change: (endpoint: Json) => void = () => {}): Json {
  const endpoint: Json = {
    name: 'sdxl-turbo',
    appName: 'sdxl-turbo',
    workerConfig: { minNum: 1, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
    ports: [{ port: '8080' }],
    policy: { type: 'queue', value: 30 },
    image: { image: 'ghcr.io/acme/sdxl:1.4.2', command: 'python -m server --port 8080' },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
    envs: [{ key: 'MODEL', value: 'sdxl-turbo' }],
    healthy: { path: '/health' },
  };
  change(endpoint);
  return endpoint;
}

/** The flat update body for `id`: the same config without the `endpoint` wrapper. */
export function updateBody(id: string, change: (endpoint: Json) => void = () => {}): Json {
  const { appName: _appName, ...config } = validEndpoint(change);
  return { id, ...config };
}

export async function createEndpoint(client: Client, change?: (endpoint: Json) => void): Promise<string> {
  const answer = await client.post('/endpoint/create', { endpoint: validEndpoint(change) });
  if (answer.status !== 200) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id as string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
