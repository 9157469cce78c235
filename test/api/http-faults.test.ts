/**
 * Fault shapes the emulator does not produce (an hour-long Retry-After, HTML from a gateway, a
 * server that never answers, a redirect), served by a throwaway local server. The contract
 * with the emulator is in contract.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { hideAuthorization } from '../../src/api/http-transport.js';
import { createPpioClient } from '../../src/api/index.js';
import type { ClientOptions, PpioClient } from '../../src/api/types.js';
import { ApiError } from '../../src/common/errors.js';
import { minimalConfig } from './fixtures.js';

const SECRET = 'sk-test-SECRET-123';
const PREFIX = '/gpu-instance/openapi/v1';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: { method: string; url: string; authorization: string | undefined; userAgent: string | undefined; body: string }[];
let connections: number;
const clients: PpioClient[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        userAgent: request.headers['user-agent'],
        body,
      });
      handler(request, response, body);
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(options: Partial<ClientOptions> = {}): PpioClient {
  seen = [];
  connections = 0;
  const created = createPpioClient({
    baseUrl,
    apiKey: SECRET,
    timeouts: { connectMs: 1_000, responseMs: 300, requestMs: 2_000 },
    retry: { limit: 2, maxRetryAfterMs: 150, baseDelayMs: 10 },
    ...options,
  });
  clients.push(created);
  return created;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const LIMITS = { minWorkerNum: '0', maxWorkerNum: '1000', maxRootfsSize: 100, cudaVersionList: ['12.4'] };

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

function expectNoSecret(error: unknown): void {
  expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(SECRET);
  expect(JSON.stringify(error)).not.toContain(SECRET);
  expect(String(error)).not.toContain(SECRET);
  expect((error as Error).stack ?? '').not.toContain(SECRET);
}

describe('the client over HTTP', () => {
  it('sends the bearer key, a user agent and JSON to the v1 paths', async () => {
    handler = (_request, response) => json(response, 200, { id: 'new-id' });
    const api = client({ userAgent: 'ppio-deploy/test' });
    await api.createEndpoint(minimalConfig());
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: `${PREFIX}/endpoint/create`,
      authorization: `Bearer ${SECRET}`,
      userAgent: 'ppio-deploy/test',
    });
    expect(JSON.parse(seen[0]?.body ?? '')).toHaveProperty('endpoint.ports', [{ port: '80' }]);
  });

  it('parses limits whose numbers come as strings, and guesses no range the API leaves out', async () => {
    handler = (_request, response) => json(response, 200, LIMITS);
    const limits = await client().getLimits();
    expect(limits).toStrictEqual({ minWorkerNum: 0, maxWorkerNum: 1000, maxRootfsSize: 100, cudaVersionList: ['12.4'] });
  });

  it('reuses one kept-alive connection for consecutive requests', async () => {
    handler = (_request, response) => json(response, 200, LIMITS);
    const api = client();
    for (let index = 0; index < 5; index += 1) await api.getLimits();
    expect(seen).toHaveLength(5);
    expect(connections).toBe(1);
  });

  it('caps an hour-long Retry-After at maxRetryAfterMs and then succeeds', async () => {
    let attempts = 0;
    handler = (_request, response) => {
      attempts += 1;
      if (attempts === 1) json(response, 429, { code: 429, reason: 'RATE_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '3600' });
      else json(response, 200, LIMITS);
    };
    const started = Date.now();
    await client().getLimits();
    const elapsed = Date.now() - started;
    expect(attempts).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('gives up after the retry limit with the last status in the message', async () => {
    handler = (_request, response) => json(response, 503, { code: 503, reason: 'UNKNOWN', message: 'overloaded' });
    const error = await caught(client().getLimits());
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ status: 503, reason: 'UNKNOWN', operation: 'get endpoint limits' });
    expect(error.message).toBe('get endpoint limits failed: HTTP 503 UNKNOWN: overloaded after 3 attempts');
    expectNoSecret(error);
  });

  it('retries at once on Retry-After: 0 (got would read a delay of 0 as "give up")', async () => {
    let attempts = 0;
    handler = (_request, response) => {
      attempts += 1;
      if (attempts === 1) json(response, 429, { reason: 'RATE_LIMIT_EXCEEDED', message: 'slow down' }, { 'retry-after': '0' });
      else json(response, 200, LIMITS);
    };
    await client().getLimits();
    expect(attempts).toBe(2);
  });

  it('retries an update, a POST, answered 503', async () => {
    let updates = 0;
    handler = (request, response) => {
      if (request.method === 'GET') return json(response, 200, { endpoint: { id: 'abc' } });
      updates += 1;
      if (updates === 1) json(response, 503, { reason: 'UNKNOWN', message: 'busy' });
      else json(response, 200, {});
    };
    await client().updateEndpoint('abc', minimalConfig());
    expect(seen.map((request) => request.method)).toStrictEqual(['GET', 'POST', 'POST']);
  });

  it('does not retry a 503 whose body cannot be read, and says why', async () => {
    handler = (_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end('not gzip at all');
    };
    const error = await caught(client().getLimits());
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ reason: 'MALFORMED_RESPONSE', status: undefined });
    expect(error.message).toMatch(/^get endpoint limits: a gzip response could not be decompressed/);
  });

  it('never retries a create, even on a 503', async () => {
    handler = (_request, response) => json(response, 503, { reason: 'UNKNOWN', message: 'busy' });
    const error = await caught(client().createEndpoint(minimalConfig('once')));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 503, responseLost: false, operation: 'create endpoint once' });
  });

  it('reports an HTML gateway error by its status and marks that the create may have happened', async () => {
    handler = (_request, response) => {
      response.writeHead(504, { 'content-type': 'text/html' });
      response.end('<html><body>Gateway Timeout</body></html>');
    };
    const error = await caught(client().createEndpoint(minimalConfig('gw')));
    expect(error.message).toBe('create endpoint gw failed: HTTP 504: Gateway Timeout; the request may still have been applied');
    expect(error.responseLost).toBe(true);
    expect(error.reason).toBeUndefined();
  });

  it('takes the message from an error body that carries only a message', async () => {
    handler = (_request, response) => json(response, 400, { message: 'something odd' });
    const error = await caught(client().updateEndpoint('abc', minimalConfig()));
    expect(error).toMatchObject({ status: 400, reason: undefined, message: 'update endpoint abc failed: HTTP 400: something odd' });
    expect(seen).toHaveLength(1);
  });

  it('marks a create whose connection was cut after sending as responseLost, without retrying', async () => {
    handler = (request) => request.socket.destroy();
    const error = await caught(client().createEndpoint(minimalConfig('cut')));
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: undefined, reason: 'NETWORK', responseLost: true });
    expect(error.message).toMatch(
      /^create endpoint cut: network error talking to the PPIO API at 127\.0\.0\.1:\d+: .*ECONNRESET.*may have reached the server/,
    );
    expectNoSecret(error);
  });

  it('retries a GET whose connection was cut, then succeeds', async () => {
    let attempts = 0;
    handler = (request, response) => {
      attempts += 1;
      if (attempts === 1) request.socket.destroy();
      else json(response, 200, { data: [] });
    };
    expect(await client().listClusters()).toStrictEqual([]);
    expect(attempts).toBe(2);
  });

  it('counts every attempt of a GET whose connection is cut each time', async () => {
    handler = (request) => request.socket.destroy();
    const error = await caught(client().listClusters());
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ reason: 'NETWORK', responseLost: true });
    expect(error.message).toMatch(/^list clusters: network error talking to the PPIO API at .*ECONNRESET.* \(3 attempts\); the request may have/);
    expectNoSecret(error);
  });

  it('gives each attempt its own request timeout', async () => {
    handler = () => undefined;
    const started = Date.now();
    const error = await caught(client({ timeouts: { connectMs: 1_000, responseMs: 5_000, requestMs: 150 } }).getLimits());
    expect(seen).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 150);
    expect(error).toMatchObject({ reason: 'TIMEOUT', responseLost: true });
    expect(error.message).toMatch(/did not answer within 150 ms \(request timeout\) \(3 attempts\)/);
    expectNoSecret(error);
  });

  it('times out a server that never answers, per phase, and says the request may have arrived', async () => {
    handler = () => undefined;
    const started = Date.now();
    const error = await caught(client({ retry: { limit: 0 } }).createEndpoint(minimalConfig('slow')));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error).toMatchObject({ status: undefined, reason: 'TIMEOUT', responseLost: true });
    expect(error.message).toMatch(/did not answer within 300 ms \(response timeout\)/);
    expectNoSecret(error);
  });

  it('close() ends its requests at once: one not yet sent is never sent, one in flight fails', async () => {
    handler = () => undefined;
    const slow = { timeouts: { connectMs: 1_000, responseMs: 5_000, requestMs: 10_000 } };
    const started = Date.now();
    const beforeSending = client(slow);
    const unsent = caught(beforeSending.getLimits()); // waits for the HTTP stack, a tick at least
    beforeSending.close();
    await unsent;
    const sending = client(slow);
    const inFlight = caught(sending.getLimits());
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    sending.close();
    await inFlight;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(seen).toHaveLength(1);
  });

  it('keeps sending the real key after an error whose options were redacted', async () => {
    let attempts = 0;
    handler = (request, response) => {
      attempts += 1;
      if (attempts === 1) request.socket.destroy();
      else json(response, 200, LIMITS);
    };
    const api = client({ retry: { limit: 0 } });
    await caught(api.getLimits());
    await api.getLimits();
    expect(seen.map((request) => request.authorization)).toStrictEqual([`Bearer ${SECRET}`, `Bearer ${SECRET}`]);
  });

  it('reports a refused connection as not having reached the server', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const api = createPpioClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: SECRET, retry: { limit: 1, baseDelayMs: 5 } });
    clients.push(api);
    const error = await caught(api.createEndpoint(minimalConfig('refused')));
    expect(error).toMatchObject({ status: undefined, reason: 'NETWORK', responseLost: false });
    expect(error.message).toMatch(/connection refused \(ECONNREFUSED\)/);
    expectNoSecret(error);
  });

  it('does not retry a server whose certificate is not trusted (a retry cannot fix it)', async () => {
    const tls = (name: string) => readFileSync(new URL(`../fixtures/tls/self-signed.${name}.pem`, import.meta.url));
    const untrusted = createTlsServer({ key: tls('key'), cert: tls('cert') }, (_request, response) => json(response, 200, LIMITS));
    let handshakes = 0;
    untrusted.on('connection', () => (handshakes += 1));
    await new Promise<void>((resolve) => untrusted.listen(0, '127.0.0.1', resolve));
    const api = createPpioClient({
      baseUrl: `https://127.0.0.1:${(untrusted.address() as AddressInfo).port}`,
      apiKey: SECRET,
      retry: { limit: 2, baseDelayMs: 5 },
    });
    clients.push(api);
    const error = await caught(api.getLimits()).finally(() => untrusted.close());
    expect(handshakes).toBe(1);
    expect(error).toMatchObject({ reason: 'NETWORK', responseLost: false });
    expect(error.message).toMatch(/network error talking to the PPIO API at 127\.0\.0\.1:\d+: DEPTH_ZERO_SELF_SIGNED_CERT$/);
    expectNoSecret(error);
  });

  it('does not follow a redirect (it could carry the key elsewhere)', async () => {
    handler = (_request, response) => {
      response.writeHead(302, { location: 'http://127.0.0.2:1/steal' });
      response.end();
    };
    const error = await caught(client().getLimits());
    expect(error.status).toBe(302);
    expect(seen).toHaveLength(1);
  });

  it('refuses a success body that is not JSON', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok!');
    };
    const error = await caught(client().listClusters());
    expect(error).toMatchObject({
      reason: 'MALFORMED_RESPONSE',
      message: 'list clusters: the PPIO API answered HTTP 200 with a body that is not JSON',
    });
  });

  it('refuses a malformed live endpoint with a clear ApiError', async () => {
    handler = (_request, response) => json(response, 200, { endpoint: { id: 'abc', workerConfig: 'lots' } });
    const error = await caught(client().getEndpoint('abc'));
    expect(error.message).toBe(
      'get endpoint abc (endpoint abc): unexpected response from the PPIO API: workerConfig is a string, expected an object',
    );
  });

  it('treats empty update and delete bodies as success; an update reads the endpoint first', async () => {
    let deleted = false;
    handler = (request, response) => {
      if (request.url?.startsWith(`${PREFIX}/endpoint?`)) {
        if (deleted) json(response, 400, { reason: 'SERVERLESS_ENDPOINT_NOT_FOUND', message: 'gone' });
        else json(response, 200, { endpoint: { id: 'abc', clusterID: 'cn-east-1' } });
      } else {
        deleted ||= request.url?.endsWith('/endpoint/delete') === true;
        response.writeHead(200);
        response.end();
      }
    };
    const api = client();
    await api.updateEndpoint('abc', minimalConfig());
    await api.deleteEndpoint('abc');
    expect(seen.map((request) => `${request.method} ${request.url}`)).toStrictEqual([
      `GET ${PREFIX}/endpoint?id=abc`,
      `POST ${PREFIX}/endpoint/update`,
      `POST ${PREFIX}/endpoint/delete`,
      `GET ${PREFIX}/endpoint?id=abc`,
    ]);
    expect(JSON.parse(seen[1]?.body ?? '')).toMatchObject({ id: 'abc', clusterID: 'cn-east-1' });
    expect(JSON.parse(seen[2]?.body ?? '')).toStrictEqual({ id: 'abc', name: 'abc' });
  });

  it('gives up confirming a delete the server keeps showing, with its own reason', async () => {
    handler = (request, response) => {
      if (request.method === 'POST') json(response, 200, {});
      else json(response, 200, { endpoint: { id: 'abc' } });
    };
    const error = await caught(client({ deleteConfirm: { timeoutMs: 100, intervalMs: 20 } }).deleteEndpoint('abc'));
    expect(error).toMatchObject({ reason: 'DELETE_NOT_CONFIRMED', operation: 'delete endpoint abc' });
  });

  it('strips the key from a message the server echoes it in', async () => {
    handler = (_request, response) => json(response, 400, { reason: 'REQUEST', message: `bad header Bearer ${SECRET}` });
    const error = await caught(client().listClusters());
    expect(error.message).toContain('bad header Bearer (sensitive)');
    expectNoSecret(error);
  });

  it('refuses a key that cannot be sent in a header without echoing it', () => {
    expect(() => createPpioClient({ baseUrl, apiKey: `${SECRET}\nX-Injected: 1` })).toThrow(/PPIO_API_KEY contains characters/);
    try {
      createPpioClient({ baseUrl, apiKey: `${SECRET}\n` });
    } catch (error) {
      expectNoSecret(error);
    }
  });

  it('blanks the authorization header of a got error (in case one is ever logged)', () => {
    const gotError = { options: { headers: { authorization: `Bearer ${SECRET}`, accept: 'application/json' } } };
    hideAuthorization(gotError as unknown as Parameters<typeof hideAuthorization>[0]);
    expect(gotError.options.headers).toStrictEqual({ authorization: '[redacted]', accept: 'application/json' });
  });

  it('keeps only the id and name of registry auths', async () => {
    handler = (_request, response) => json(response, 200, { data: [{ id: 'a1', name: 'ghcr', username: 'bot', password: 'pw-123' }] });
    const auths = await client().listRegistryAuths();
    expect(auths).toStrictEqual([{ id: 'a1', name: 'ghcr' }]);
    expect(inspect(auths)).not.toContain('pw-123');
  });
});
