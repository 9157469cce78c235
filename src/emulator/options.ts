import type { EmulatedCluster, EmulatedRegistryAuth, EmulatedStorage, EmulatorCatalog } from './catalog.js';

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A loopback address; default 127.0.0.1. */
  host?: string;
  /** Accept only this bearer key (403 INVALID_API_KEY for another); default: any non-empty key. */
  apiKey?: string;
  /** Delay before every answer. Default 0. */
  latencyMs?: number;
  /** How long a created or updated endpoint stays `initializing`. Default 1000. */
  readyAfterMs?: number;
  /** How long a deleted endpoint still shows as `terminating`. Default 0. */
  deleteDelayMs?: number;
  /** Fraction of requests answered 500 UNKNOWN. Default 0. */
  errorRate?: number;
  /** Fraction of requests answered 429 RATE_LIMIT_EXCEEDED with Retry-After. Default 0. */
  rateLimitRate?: number;
  /** The Retry-After header of an injected 429. Default 1. */
  retryAfterSeconds?: number;
  /** Fraction of creates that are committed and then cut off before any response. Default 0. */
  dropRate?: number;
  /** Fraction of creates that are committed and then answered 500 UNKNOWN. Default 0. */
  commitErrorRate?: number;
  /** Adds endpoints made by other tools, in shapes the v1 docs do not describe (see odd-endpoints.ts). */
  oddEndpoints?: boolean;
  /** Makes the fault sequence and the endpoint ids reproducible. */
  seed?: number;
  /** Persist endpoints to this file (atomically, after each change) and reload them on start. */
  statePath?: string;
  /** Larger `pageSize` values of GET /endpoints are cut to this. Default 100. */
  pageSizeMax?: number;
  /** Serve `GET /gpus/v2/products` (default true); false answers 404, as a base URL without the v2 API. */
  serveProductList?: boolean;
  /** Replaces parts of the seeded catalogue (clusters, storages, auths, products, limits). */
  catalog?: Partial<EmulatorCatalog>;
  /** Shorthands for the catalogue sections of the same name; they win over `catalog`. */
  clusters?: EmulatedCluster[];
  storages?: EmulatedStorage[];
  auths?: EmulatedRegistryAuth[];
  /** Called once per answered (or dropped) request, e.g. to print an access log. */
  onRequest?: (entry: RequestLogEntry) => void;
}

/** The switches that can change while the emulator runs (see `EmulatorHandle.setFault`). */
export interface FaultSettings {
  latencyMs: number;
  readyAfterMs: number;
  deleteDelayMs: number;
  errorRate: number;
  rateLimitRate: number;
  retryAfterSeconds: number;
  dropRate: number;
  commitErrorRate: number;
  /** 1: every create is refused (400, no capacity), as when a product runs out; 0: off. */
  refuseCreates: number;
}

export type InjectedFault = 'error' | 'rate-limit' | 'drop' | 'error-after-commit' | 'refused-create';

export interface RequestLogEntry {
  method: string;
  /** The path below /gpu-instance/openapi/v1 (or the raw path when outside it), with the query. */
  path: string;
  /** 0 when the connection was cut without an answer. */
  status: number;
  reason?: string;
  fault?: InjectedFault;
  /** The parsed JSON body of a POST, when it is small (see `bodyBytes`); a summary is all the log keeps of a large one. */
  body?: unknown;
  /** Size of the request body. */
  bodyBytes?: number;
  durationMs: number;
}

export interface EmulatorHandle {
  /** http://HOST:PORT, the value for PPIO_BASE_URL. */
  url: string;
  port: number;
  /** Closes every connection and flushes the state file. */
  stop(): Promise<void>;
  /** Endpoints get and list currently show. */
  endpointCount(): number;
  listIds(): string[];
  /** Changes fault switches and timings from now on. */
  setFault(settings: Partial<FaultSettings>): void;
  /** Every request so far (the most recent 10,000), oldest first. */
  requestLog: RequestLogEntry[];
  /** Resolves when every change so far is in the state file. */
  flush(): Promise<void>;
}

const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  readyAfterMs: 1000,
  deleteDelayMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  dropRate: 0,
  commitErrorRate: 0,
  refuseCreates: 0,
};

export const DEFAULT_PAGE_SIZE_MAX = 100;

/** Programming mistakes in the options fail fast; the CLI reports user mistakes itself. */
export function resolveFaults(options: Partial<FaultSettings>, base: FaultSettings = DEFAULT_FAULTS): FaultSettings {
  const settings: FaultSettings = { ...base };
  for (const key of Object.keys(DEFAULT_FAULTS) as (keyof FaultSettings)[]) {
    const value = options[key];
    if (value === undefined) continue;
    const isRate = key.endsWith('Rate');
    if (!Number.isFinite(value) || value < 0 || (isRate && value > 1)) {
      throw new RangeError(`emulator option ${key} must be ${isRate ? 'between 0 and 1' : 'a non-negative number'} (got ${value})`);
    }
    settings[key] = value;
  }
  return settings;
}
