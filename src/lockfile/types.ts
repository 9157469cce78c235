import type { EndpointConfig } from '../schema/endpoint-config.js';

/** The version this ppio-deploy writes. Version 1 (no `api`) is still read, and rewritten as 2 by the next apply. */
export const LOCKFILE_VERSION = 2;

/** ppio.lock.json: committed, deterministic, written only by apply and import. */
export interface Lockfile {
  lockfileVersion: typeof LOCKFILE_VERSION;
  /**
   * The API origin (e.g. `https://api.ppio.com`) whose endpoints the ids name. Absent until
   * an apply or import first talks to an API with this lockfile (and in version 1 files).
   */
  api?: string;
  endpoints: Record<string, LockEntry>;
  /** Creates that were started but not yet recorded; reconciled by the next run. */
  pending: PendingCreate[];
}

export interface LockEntry {
  id: string;
  url: string;
  /** Spec file the endpoint came from, relative to the lockfile's folder. */
  source: string;
  /** The normalised config that was sent, with sensitive values left as their `${env:…}` templates. */
  applied: EndpointConfig;
}

/** Stands in, in `applied`, for a live env value the lockfile must not copy (it may be a secret set by hand). */
export const UNRECORDED_VALUE = '(not recorded)';

export interface PendingCreate {
  name: string;
  appName?: string;
  source: string;
}

export const emptyLockfile = (): Lockfile => ({ lockfileVersion: LOCKFILE_VERSION, endpoints: {}, pending: [] });
