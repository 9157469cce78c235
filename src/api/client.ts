import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, UsageError } from '../common/errors.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { resolveApiRoot, resolveHostRoot } from './base-url.js';
import { createTransport, type Transport } from './http-transport.js';
import { collectAllPages, type Page, type PagingOptions } from './list-pages.js';
import { normalizeListedEndpoint, normalizeLiveEndpoint } from './normalize-live.js';
import { parseClusters, parseLimits, parseNetworkStoragePage, parseRegistryAuths } from './parse-account.js';
import { toCreateBody, toUpdateBody } from './request-body.js';
import { ResponseReader } from './response-reader.js';
import { fetchServerlessProducts } from './serverless-products.js';
import type { ClientOptions, ClientRetry, ClientTimeouts, LiveEndpoint, NetworkStorage, PpioClient, ListOptions } from './types.js';
import pLimit from 'p-limit';

const DEFAULT_TIMEOUTS: ClientTimeouts = { connectMs: 10_000, responseMs: 30_000, requestMs: 60_000 };
const DEFAULT_RETRY: ClientRetry = { limit: 4, maxRetryAfterMs: 30_000, baseDelayMs: 500 };
// Page 0, then up to ten pages at once: up to 1,100 endpoints in two round trips.
const DEFAULT_PAGING: PagingOptions = { pageSize: 100, concurrency: 10 };
/** How long, and how often at first, a delete is checked until a get says not found. */
interface DeleteConfirm {
  timeoutMs: number;
  intervalMs: number;
}

const DEFAULT_DELETE_CONFIRM: DeleteConfirm = { timeoutMs: 30_000, intervalMs: 250 };
const MAX_DELETE_POLL_INTERVAL_MS = 2_000;
const STORAGE_PAGE_SIZE = 100;

/**
 * The PPIO v1 API over HTTP. Refuses an unsafe base URL up front. GETs, updates and deletes
 * are retried on 429, 5xx and network errors; a create is sent exactly once.
 */
export function createPpioClient(options: ClientOptions): PpioClient {
  assertSendableKey(options.apiKey);
  const settings = {
    apiKey: options.apiKey,
    userAgent: options.userAgent ?? 'ppio-deploy',
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    retry: { ...DEFAULT_RETRY, ...options.retry },
  };
  const transport = createTransport({ ...settings, apiRoot: resolveApiRoot(options.baseUrl) });
  // The v2 catalogue lives beside the v1 prefix, on the same host.
  const hostTransport = createTransport({ ...settings, apiRoot: resolveHostRoot(options.baseUrl) });
  const paging: PagingOptions = {
    pageSize: options.listPageSize ?? DEFAULT_PAGING.pageSize,
    concurrency: options.listConcurrency ?? DEFAULT_PAGING.concurrency,
  };
  const deleteConfirm = { ...DEFAULT_DELETE_CONFIRM, ...options.deleteConfirm };

  async function getEndpoint(id: string): Promise<LiveEndpoint> {
    const operation = `get endpoint ${id}`;
    const body = await transport.send({ method: 'GET', path: 'endpoint', searchParams: { id }, operation, retry: true });
    return normalizeLiveEndpoint(new ResponseReader(operation).object(body, 'response')['endpoint'], operation);
  }

  return {
    async createEndpoint(config: EndpointConfig) {
      const operation = `create endpoint ${config.name}`;
      const body = await transport.send({ method: 'POST', path: 'endpoint/create', json: toCreateBody(config), operation, retry: false });
      const read = new ResponseReader(operation);
      return { id: read.string(read.object(body, 'response')['id'], 'id') };
    },

    getEndpoint,

    async listEndpoints(options?: ListOptions) {
      const operation = 'list endpoints';
      const fetchPage = async (pageNum: number, pageSize: number): Promise<Page<LiveEndpoint>> => {
        const body = await transport.send({ method: 'GET', path: 'endpoints', searchParams: { pageSize, pageNum }, operation, retry: true });
        return parseEndpointPage(body, operation);
      };
      const listed = await collectAllPages(fetchPage, (endpoint) => endpoint.id, { ...paging, expectedCount: options?.expectedCount }, operation);
      return readManagedStrictly(listed, options?.managedIds ?? [], getEndpoint, paging.concurrency);
    },

    /** Read-merge-write: the live object is read first so what the spec leaves out is sent back unchanged. */
    async updateEndpoint(id: string, config: EndpointConfig) {
      const operation = `update endpoint ${id}`;
      const current = await transport.send({ method: 'GET', path: 'endpoint', searchParams: { id }, operation, retry: true });
      const read = new ResponseReader(operation);
      const live = read.object(read.object(current, 'response')['endpoint'], 'endpoint');
      await transport.send({ method: 'POST', path: 'endpoint/update', json: toUpdateBody(id, config, live), operation, retry: true });
    },

    async deleteEndpoint(id: string) {
      const operation = `delete endpoint ${id}`;
      try {
        // The docs send `name`, working clients send `id`: send both, the id is the value of either.
        await transport.send({ method: 'POST', path: 'endpoint/delete', json: { id, name: id }, operation, retry: true });
      } catch (error) {
        // Already gone (deleted by hand, or our retried delete succeeded the first time): done.
        if (!(error instanceof ApiError && error.isNotFound)) throw error;
      }
      await confirmDeleted(transport, deleteConfirm, id, operation);
    },

    async getLimits() {
      const operation = 'get endpoint limits';
      const body = await transport.send({ method: 'GET', path: 'endpoint/limit', operation, retry: true });
      return parseLimits(new ResponseReader(operation), body);
    },

    async listClusters() {
      const operation = 'list clusters';
      const body = await transport.send({ method: 'GET', path: 'clusters', operation, retry: true });
      return parseClusters(new ResponseReader(operation), body);
    },

    listNetworkStorages() {
      const operation = 'list network storages';
      const fetchPage = async (pageNo: number, pageSize: number): Promise<Page<NetworkStorage>> => {
        const body = await transport.send({
          method: 'GET',
          path: 'networkstorages/list',
          searchParams: { pageNo, pageSize },
          operation,
          retry: true,
        });
        return parseNetworkStoragePage(new ResponseReader(operation), body);
      };
      return collectAllPages(fetchPage, (storage) => storage.storageId, { ...paging, pageSize: STORAGE_PAGE_SIZE }, operation);
    },

    async listRegistryAuths() {
      const operation = 'list registry auths';
      const body = await transport.send({ method: 'GET', path: 'repository/auths', operation, retry: true });
      return parseRegistryAuths(new ResponseReader(operation), body);
    },

    listServerlessProducts: () => fetchServerlessProducts(hostTransport),

    prepare: () => transport.prepare(),
    close: () => {
      transport.close();
      hostTransport.close();
    },
  };
}

/** A key with a line break or a non-Latin-1 character cannot go into a header (and must not be echoed). */
function assertSendableKey(apiKey: string): void {
  if (/[^\x20-\x7e\t]/.test(apiKey)) {
    throw new UsageError(
      'PPIO_API_KEY contains characters that cannot be sent in an HTTP header (a line break or a non-ASCII character?); set PPIO_API_KEY to a valid key',
    );
  }
}

/** Deletion "may take a moment to show": poll until a get says not found. */
async function confirmDeleted(transport: Transport, deleteConfirm: DeleteConfirm, id: string, operation: string): Promise<void> {
  const deadline = Date.now() + deleteConfirm.timeoutMs;
  for (let interval = deleteConfirm.intervalMs; ; interval = Math.min(interval * 1.5, MAX_DELETE_POLL_INTERVAL_MS)) {
    if (await isGone(transport, id, operation)) return;
    if (Date.now() + interval > deadline) break;
    await sleep(interval);
  }
  throw new ApiError(
    `${operation}: the delete was accepted but the endpoint still exists after ${Math.round(deleteConfirm.timeoutMs / 1000)} s`,
    undefined,
    'DELETE_NOT_CONFIRMED',
    operation,
  );
}

async function isGone(transport: Transport, id: string, operation: string): Promise<boolean> {
  try {
    await transport.send({ method: 'GET', path: 'endpoint', searchParams: { id }, operation, retry: true });
    return false;
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return true;
    throw error;
  }
}

/**
 * The managed endpoints, read strictly: one missing from the list is looked up with a GET (not
 * found: really gone; found: the list was short), and one listed in a shape that could not be
 * read is fetched with a GET, which throws with the reason.
 */
async function readManagedStrictly(
  listed: LiveEndpoint[],
  managedIds: readonly string[],
  getEndpoint: (id: string) => Promise<LiveEndpoint>,
  concurrency: number,
): Promise<LiveEndpoint[]> {
  const byId = new Map(listed.map((endpoint) => [endpoint.id, endpoint]));
  const toRead = managedIds.filter((id) => byId.get(id)?.unreadable !== undefined || !byId.has(id));
  if (toRead.length === 0) return listed;
  const limit = pLimit(Math.max(1, concurrency));
  const read = await Promise.all(
    toRead.map((id) =>
      limit(() =>
        getEndpoint(id).catch((error: unknown) => {
          if (error instanceof ApiError && error.isNotFound) return undefined;
          throw error;
        }),
      ),
    ),
  );
  for (const endpoint of read) if (endpoint !== undefined) byId.set(endpoint.id, endpoint);
  return [...byId.values()];
}

function parseEndpointPage(body: unknown, operation: string): Page<LiveEndpoint> {
  const read = new ResponseReader(operation);
  const page = read.object(body, 'response');
  const total = read.optionalInteger(page['total'], 'total');
  // A page without `endpoints` (`200 {}`, an empty body) is malformed, not an empty account:
  // read as "no endpoints", it would make every recorded endpoint look deleted by hand. Only
  // `null` with a total of 0 (how a Go service writes an empty list) means empty.
  const empty = page['endpoints'] === null && total === 0;
  const items = empty ? [] : read.array(page['endpoints'], 'endpoints').map((endpoint) => normalizeListedEndpoint(endpoint, operation));
  return { items, total };
}
