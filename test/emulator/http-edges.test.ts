import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { PREFIX, clientFor, validEndpoint } from './helpers.js';
import type { Client } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0 });
  client = clientFor(emulator);
});
afterAll(() => emulator.stop());

function errorShape(status: number, reason: string) {
  return { code: status, reason, message: expect.any(String), metadata: {} };
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
  ])('answers 401 UNAUTHORIZED for %s', async (_case, header) => {
    const answer = await clientFor(emulator, null).raw('/endpoint/limit', {
      method: 'GET',
      headers: header === undefined ? {} : { authorization: header },
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(errorShape(401, 'UNAUTHORIZED'));
  });

  it('takes any non-empty key by default', async () => {
    expect((await clientFor(emulator, 'whatever').get('/clusters')).status).toBe(200);
  });

  it('with apiKey, takes only that key and answers 403 INVALID_API_KEY to another', async () => {
    const locked = await startEmulator({ apiKey: 'sk-right' });
    try {
      expect((await clientFor(locked, 'sk-right').get('/clusters')).status).toBe(200);
      const wrong = await clientFor(locked, 'sk-wrong').get('/clusters');
      expect(wrong.status).toBe(403);
      expect(wrong.body).toEqual(errorShape(403, 'INVALID_API_KEY'));
      expect((await clientFor(locked, null).get('/clusters')).status).toBe(401);
    } finally {
      await locked.stop();
    }
  });
});

describe('bad requests get the error shape', () => {
  it('answers malformed JSON with 400 REQUEST', async () => {
    const answer = await client.raw('/endpoint/create', { method: 'POST', body: '{"endpoint": {' });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(errorShape(400, 'REQUEST'));
    expect(answer.body.message).toMatch(/not valid JSON/);
  });

  it.each(['[]', '"text"', '42', 'null'])('answers a JSON %s body with 400 REQUEST', async (body) => {
    const answer = await client.raw('/endpoint/update', { method: 'POST', body });
    expect(answer.status).toBe(400);
    expect(answer.body.reason).toBe('REQUEST');
  });

  it('answers a body over 1 MiB with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ endpoint: validEndpoint(), padding: 'x'.repeat(1024 * 1024) });
    const answer = await client.raw('/endpoint/create', { method: 'POST', body: huge });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual(errorShape(413, 'REQUEST'));
    expect(emulator.endpointCount()).toBe(0);
    expect((await client.get('/clusters')).status).toBe(200);
  });

  it('takes a body just under 1 MiB', async () => {
    const body = JSON.stringify({ endpoint: validEndpoint((e) => (e.appName = 'big-body')), padding: 'x'.repeat(1000 * 1000) });
    const answer = await client.raw('/endpoint/create', { method: 'POST', body });
    expect(answer.status).toBe(200);
  });

  it('answers an unknown path with 404, inside or outside the API prefix', async () => {
    expect(await client.get('/endpoint/nope')).toMatchObject({ status: 404, body: errorShape(404, 'NOT_FOUND') });
    const outside = await fetch(`${emulator.url}/v2/endpoints`, { headers: { authorization: 'Bearer k' } });
    expect(outside.status).toBe(404);
    expect(await outside.json()).toEqual(errorShape(404, 'NOT_FOUND'));
  });

  it('answers the wrong method with 405', async () => {
    const answer = await client.get('/endpoint/create');
    expect(answer.status).toBe(405);
    expect(answer.body).toEqual(errorShape(405, 'METHOD_NOT_ALLOWED'));
  });

  it('answers a request that is not HTTP with 400 in the error shape', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(emulator.port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toEqual(errorShape(400, 'REQUEST'));
  });

  it('survives a client that hangs up mid-body', async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect(emulator.port, '127.0.0.1', () => {
        socket.write(`POST ${PREFIX}/endpoint/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\nContent-Length: 1000\r\n\r\n{"endpoint":`);
        socket.destroy();
        resolve();
      });
    });
    expect((await client.get('/clusters')).status).toBe(200);
  });
});
