/**
 * Lists and bodies a real or hostile server may send that the emulator does not: pages that
 * lose items, a page size it refuses, `200 {}`, an absurd total, an endless body, a gzip bomb,
 * and one endpoint of a shape nobody documented. Each must fail clearly or be survived, never
 * read as "no endpoints" (which would re-create every recorded one).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createPpioClient } from '../../src/api/index.js';
import type { PpioClient } from '../../src/api/types.js';
import { ApiError } from '../../src/common/errors.js';
import { toCreateBody } from '../../src/api/request-body.js';
import { minimalConfig } from './fixtures.js';

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

let server: Server;
let handler: Handler;
let client: PpioClient;
let requests: URL[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://hostile.invalid');
    requests.push(url);
    handler(request, response, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createPpioClient({ baseUrl, apiKey: 'k', retry: { limit: 1, maxRetryAfterMs: 10, baseDelayMs: 1 }, timeouts: { requestMs: 20_000 } });
});

afterAll(async () => {
  client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A live endpoint as get and list answer, for `id`. */
function liveEndpoint(id: string): Record<string, unknown> {
  return {
    id,
    url: `https://${id}.example`,
    state: { state: 'serving', error: '', message: '' },
    ...toCreateBody(minimalConfig(`ep-${id}`)).endpoint,
  };
}

const numbered = (count: number) => Array.from({ length: count }, (_, index) => liveEndpoint(`e${index}`));

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('listing from a server that pages badly', () => {
  it('fails clearly when fewer items arrive than the total it reports (a server that ignores paging)', async () => {
    const all = numbered(7);
    handler = (_request, response) => json(response, 200, { endpoints: all.slice(0, 5), total: 7 });
    requests = [];
    const error = await failure(client.listEndpoints());
    expect(error.reason).toBe('INCOMPLETE_LIST');
    expect(error.message).toMatch(/reported 7 items but its pages held only 5; refusing to work from an incomplete list/);
  });

  it('retries a page size the server refuses with a smaller one', async () => {
    const all = numbered(30);
    handler = (_request, response, url) => {
      const size = Number(url.searchParams.get('pageSize'));
      if (size > 20) return json(response, 400, { code: 400, reason: 'VALIDATOR_PARAM', message: 'pageSize must be at most 20' });
      const page = Math.max(1, Number(url.searchParams.get('pageNum')));
      json(response, 200, { endpoints: all.slice((page - 1) * size, page * size), total: all.length });
    };
    requests = [];
    const listed = await client.listEndpoints();
    expect(listed.map((endpoint) => endpoint.id).sort()).toStrictEqual(all.map((endpoint) => String(endpoint['id'])).sort());
    expect(requests.map((url) => url.searchParams.get('pageSize'))).toEqual(expect.arrayContaining(['100', '50', '20']));
  });

  it('fails clearly when every page size is refused', async () => {
    handler = (_request, response) => json(response, 400, { code: 400, reason: 'VALIDATOR_PARAM', message: 'no' });
    const error = await failure(client.listEndpoints());
    expect(error.message).toMatch(/refused every page size tried \(100, 50, 20, 10\)/);
  });

  it.each([
    ['200 {}', (response: ServerResponse) => json(response, 200, {})],
    ['an empty body', (response: ServerResponse) => response.end()],
    ['endpoints: null with a total', (response: ServerResponse) => json(response, 200, { endpoints: null, total: 3 })],
  ])('reads %s as malformed, not as an empty account', async (_case, answer) => {
    handler = (_request, response) => answer(response);
    const error = await failure(client.listEndpoints());
    expect(error.reason).toBe('MALFORMED_RESPONSE');
    expect(error.message).toMatch(/endpoints is (missing|null), expected an array/);
  });

  it('reads endpoints: null with total 0 as an empty account (how a Go service writes an empty list)', async () => {
    handler = (_request, response) => json(response, 200, { endpoints: null, total: 0 });
    expect(await client.listEndpoints()).toStrictEqual([]);
  });

  it.each([1e9, 9e14])('bounds the page count whatever total says (%d), failing at once', async (total) => {
    handler = (_request, response) => json(response, 200, { endpoints: numbered(100), total });
    requests = [];
    const error = await failure(client.listEndpoints());
    expect(error.message).toMatch(/reads at most 2000 pages, so the list cannot be trusted/);
    expect(requests.length).toBeLessThanOrEqual(2);
  });
});

describe('endpoints the client does not manage', () => {
  const odd = {
    id: 'odd1',
    name: 'async-made',
    appName: 'async-made',
    state: { state: 'serving' },
    policy: { type: 'async-queue', value: '5.0' },
    ports: null,
    workerConfig: null,
  };

  it('are listed leniently: one odd endpoint does not fail the list', async () => {
    handler = (_request, response) => json(response, 200, { endpoints: [odd, ...numbered(2)], total: 3 });
    const listed = await client.listEndpoints();
    expect(listed).toHaveLength(3);
    const unreadable = listed.find((endpoint) => endpoint.id === 'odd1');
    expect(unreadable).toMatchObject({ config: { name: 'async-made', appName: 'async-made' }, state: { state: 'serving' } });
    expect(unreadable?.unreadable).toMatch(/workerConfig is null, expected an object/);
    expect(listed.filter((endpoint) => endpoint.unreadable === undefined)).toHaveLength(2);
  });

  it('but one the caller manages is read strictly, with the reason', async () => {
    handler = (_request, response, url) => {
      if (url.pathname.endsWith('/endpoint')) return json(response, 200, { endpoint: odd });
      json(response, 200, { endpoints: [odd], total: 1 });
    };
    const error = await failure(client.listEndpoints({ managedIds: ['odd1'] }));
    expect(error.message).toMatch(/get endpoint odd1.*: unexpected response from the PPIO API: workerConfig is null/);
  });

  it('a managed id missing from the list is confirmed with a GET before it counts as gone', async () => {
    handler = (_request, response, url) => {
      if (url.pathname.endsWith('/endpoint')) {
        if (url.searchParams.get('id') === 'e9') return json(response, 200, { endpoint: liveEndpoint('e9') });
        return json(response, 400, { code: 400, reason: 'SERVERLESS_ENDPOINT_NOT_FOUND', message: 'not found' });
      }
      json(response, 200, { endpoints: numbered(2), total: 2 });
    };
    const listed = await client.listEndpoints({ managedIds: ['e0', 'e9', 'gone'] });
    expect(listed.map((endpoint) => endpoint.id).sort()).toStrictEqual(['e0', 'e1', 'e9']);
  });
});

describe('bodies too large to read', () => {
  /** Spaces after `start`, 1 MiB at a time, until the client hangs up. */
  function sendEndlessBody(response: ServerResponse, status: number, start = ''): void {
    response.writeHead(status, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', pump);
    };
    response.write(start);
    pump();
  }

  it('cuts off an endless body with a clear error', async () => {
    handler = (_request, response) => sendEndlessBody(response, 200, '{"endpoints": [');
    const started = Date.now();
    const error = await failure(client.getLimits());
    expect(error.reason).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/sent a response larger than 32 MiB; it was cut off/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('does not ask again after cutting off an endless body, even on a status worth retrying', async () => {
    handler = (_request, response) => sendEndlessBody(response, 503);
    requests = [];
    const error = await failure(client.getLimits());
    expect(error.reason).toBe('RESPONSE_TOO_LARGE');
    expect(requests).toHaveLength(1);
  });

  it('refuses a gzip bomb without inflating it', async () => {
    // 80 gzip members of 1 MiB of spaces each: about 80 KiB that inflate to 80 MiB.
    const member = gzipSync(Buffer.alloc(1024 * 1024, 0x20));
    const bomb = Buffer.concat(Array.from({ length: 80 }, () => member));
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
      response.end(bomb);
    };
    const error = await failure(client.getLimits());
    expect(error.reason).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toMatch(/decompresses to more than 64 MiB/);
  });

  it('still reads a gzip-compressed answer', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify({ endpoints: numbered(3), total: 3 })));
    };
    expect(await client.listEndpoints()).toHaveLength(3);
  });
});

describe('an error without a message', () => {
  it("is described by the server's own reason phrase", async () => {
    handler = (_request, response) => {
      response.writeHead(418, 'Out Of Tea', { 'content-type': 'application/json' });
      response.end('{}');
    };
    const error = await failure(client.getEndpoint('e1'));
    expect(error.message).toContain('HTTP 418: Out Of Tea');
  });
});

describe('headers', () => {
  it('sends Content-Type: application/json on every request, GET included', async () => {
    const contentTypes: (string | undefined)[] = [];
    handler = (request, response) => {
      contentTypes.push(request.headers['content-type']);
      json(response, 200, { data: [] });
    };
    await client.listClusters();
    await client.listRegistryAuths();
    expect(contentTypes).toStrictEqual(['application/json', 'application/json']);
  });
});
