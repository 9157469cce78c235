import type { EndpointConfig } from '../schema/endpoint-config.js';

import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { Cluster, EndpointLimits, NetworkStorage, RegistryAuth, ServerlessProduct } from '../schema/account-facts.js';

// The domain types the API reads into have their home in schema/ and common/; re-exported for the API's callers.
export type { EndpointState } from '../common/live-state.js';
export type { LiveEndpoint, WorkerInfo } from '../schema/live-endpoint.js';
export type {
  Cluster,
  EndpointLimits,
  NetworkStorage,
  ProductCatalogue,
  ProductStock,
  RegistryAuth,
  ServerlessProduct,
} from '../schema/account-facts.js';

export interface ListOptions {
  /** About how many endpoints the account holds, when the caller knows: the pages are fetched at once. */
  expectedCount?: number;
  /**
   * Ids the caller manages (the lockfile's). Each is read strictly: one the list lacks is
   * looked up with a GET before it is reported missing (a list can be short), and one whose
   * listed shape could not be read is fetched with a GET, which fails with the reason.
   */
  managedIds?: readonly string[];
}

/**
 * Everything ppio-deploy asks of PPIO. `createPpioClient` implements it over HTTP; plan and
 * apply depend only on this interface.
 */
export interface PpioApi {
  /** POST /endpoint/create. Never retried: a lost response is reconciled by the caller. */
  createEndpoint(config: EndpointConfig): Promise<{ id: string }>;
  /** Throws ApiError with isNotFound when the id is unknown. */
  getEndpoint(id: string): Promise<LiveEndpoint>;
  /** Every endpoint of the account (all pages). */
  listEndpoints(options?: ListOptions): Promise<LiveEndpoint[]>;
  /** Full replace of the configuration (the v1 update semantics). */
  updateEndpoint(id: string, config: EndpointConfig): Promise<void>;
  deleteEndpoint(id: string): Promise<void>;
  getLimits(): Promise<EndpointLimits>;
  listClusters(): Promise<Cluster[]>;
  listNetworkStorages(): Promise<NetworkStorage[]>;
  listRegistryAuths(): Promise<RegistryAuth[]>;
  /** The v2 serverless product catalogue (all pages). Throws ApiError where the base URL does not serve it. */
  listServerlessProducts(): Promise<ServerlessProduct[]>;
}

/** Per-phase HTTP timeouts, in milliseconds. */
export interface ClientTimeouts {
  /** TCP (and TLS) connection established. */
  connectMs: number;
  /** First response byte after the request was sent. */
  responseMs: number;
  /** One whole attempt, from start to the last body byte. */
  requestMs: number;
}

/** How idempotent calls (GET, update, delete) are retried on 429, 5xx and network errors. */
export interface ClientRetry {
  /** Retries after the first attempt. */
  limit: number;
  /** A `Retry-After` longer than this is cut to this. */
  maxRetryAfterMs: number;
  /** First backoff; doubles on each retry, with jitter. */
  baseDelayMs: number;
}

export interface ClientOptions {
  /** e.g. `https://api.ppio.com`; plain http only for loopback hosts. */
  baseUrl: string;
  apiKey: string;
  timeouts?: Partial<ClientTimeouts>;
  retry?: Partial<ClientRetry>;
  /** Items asked for per list page (default 100). */
  listPageSize?: number;
  /** Pages fetched at once once the total is known (default 10). */
  listConcurrency?: number;
  userAgent?: string;
  /** How long a delete waits for the endpoint to disappear (default 30 s, polled every 250 ms+). */
  deleteConfirm?: { timeoutMs?: number; intervalMs?: number };
}

/** The HTTP client: the API plus releasing its kept-alive connections. */
export interface PpioClient extends PpioApi {
  /** Starts loading the HTTP stack (got, agents) now, so the first request does not pay for it. */
  prepare(): void;
  /**
   * Ends the client: requests in flight, and any sent after, fail at once, and its kept-alive
   * connections close. Optional at the end of a run: idle sockets never keep the process alive.
   */
  close(): void;
}
