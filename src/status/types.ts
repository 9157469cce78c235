/** What `status` shows: the managed endpoints as they are live, then the unmanaged ones. */
export const STATUS_FORMAT_VERSION = 1;

/** Workers running (ready) now, and the configured range. */
export interface WorkerCounts {
  running: number;
  min: number;
  max: number;
}

/**
 * `state` is `serving`, `failed`, `missing` (recorded, but gone live), or the platform's own
 * word for anything else (`initializing`, `stopped`, `terminating`, …).
 */
export interface EndpointStatus {
  name: string;
  id: string;
  state: string;
  /** The platform's reason when `failed`. */
  message?: string;
  /** Null when the endpoint is missing, or listed in a shape that could not be read. */
  workers: WorkerCounts | null;
  url: string;
}

export interface ManagedStatus extends EndpointStatus {
  /** The live configuration differs from what the lockfile says was applied. */
  drifted: boolean;
  /** Where it differs (JSON pointers; never the values, which may be secrets). */
  driftedFields: string[];
}

export interface StatusSummary {
  managed: number;
  serving: number;
  failed: number;
  missing: number;
  drifted: number;
  unmanaged: number;
}

/** A plain, JSON-serialisable value; every status format renders from it. */
export interface StatusReport {
  formatVersion: typeof STATUS_FORMAT_VERSION;
  environment: string | null;
  endpoints: ManagedStatus[];
  unmanaged: EndpointStatus[];
  summary: StatusSummary;
  /** Every managed endpoint is serving and matches the lockfile (exit 0; else 2). */
  healthy: boolean;
}
