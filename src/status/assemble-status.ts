/**
 * The status of a project: lockfile and live endpoints in, a StatusReport out. Pure; the
 * caller fetches the live endpoints.
 */
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import { failureMessage, healthOf } from '../common/live-state.js';
import type { LockEntry, Lockfile } from '../lockfile/types.js';
import { driftedPaths } from '../plan/index.js';
import { STATUS_FORMAT_VERSION, type EndpointStatus, type ManagedStatus, type StatusReport, type StatusSummary } from './types.js';

export interface StatusInput {
  lockfile: Lockfile;
  live: readonly LiveEndpoint[];
  environment?: string | null;
  /** Ids other environments of the project record: theirs, so not listed as unmanaged. */
  managedElsewhere?: ReadonlySet<string>;
}

export function assembleStatus({ lockfile, live, environment = null, managedElsewhere = new Set() }: StatusInput): StatusReport {
  const liveById = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  const endpoints = Object.entries(lockfile.endpoints)
    .map(([name, entry]) => managedStatus(name, entry, liveById.get(entry.id)))
    .sort((a, b) => compareText(a.name, b.name));
  const recorded = new Set(Object.values(lockfile.endpoints).map((entry) => entry.id));
  const unmanaged = live
    .filter((endpoint) => !recorded.has(endpoint.id) && !managedElsewhere.has(endpoint.id) && !isGoing(endpoint))
    .map((endpoint) => liveStatus(endpoint.config.name, endpoint))
    .sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
  const summary = summarize(endpoints, unmanaged.length);
  const healthy = endpoints.every((endpoint) => endpoint.state === 'serving' && !endpoint.drifted);
  return { formatVersion: STATUS_FORMAT_VERSION, environment, endpoints, unmanaged, summary, healthy };
}

function managedStatus(name: string, entry: LockEntry, live: LiveEndpoint | undefined): ManagedStatus {
  if (!live) return { name, id: entry.id, state: 'missing', workers: null, url: entry.url, drifted: false, driftedFields: [] };
  const driftedFields = driftedPaths(entry.applied, live.config);
  return { ...liveStatus(name, live), url: live.url || entry.url, drifted: driftedFields.length > 0, driftedFields };
}

function liveStatus(name: string, live: LiveEndpoint): EndpointStatus {
  const health = healthOf(live.state);
  const state = health === 'other' ? live.state.state.toLowerCase() || 'unknown' : health;
  // An endpoint whose shape could not be read has only a placeholder config: no worker range to show.
  const workers = live.unreadable === undefined ? workerCounts(live) : null;
  const status: EndpointStatus = { name, id: live.id, state, workers, url: live.url };
  if (health === 'failed') status.message = failureMessage(live.state);
  return status;
}

function workerCounts(live: LiveEndpoint) {
  const running = live.workers.filter((worker) => worker.state.state === 'running').length;
  return { running, min: live.config.workerConfig.minNum, max: live.config.workerConfig.maxNum };
}

/** An unmanaged endpoint being deleted is not worth listing. */
const isGoing = (live: LiveEndpoint): boolean => live.state.state.toLowerCase() === 'terminating';

function summarize(endpoints: readonly ManagedStatus[], unmanaged: number): StatusSummary {
  const count = (state: string) => endpoints.filter((endpoint) => endpoint.state === state).length;
  return {
    managed: endpoints.length,
    serving: count('serving'),
    failed: count('failed'),
    missing: count('missing'),
    drifted: endpoints.filter((endpoint) => endpoint.drifted).length,
    unmanaged,
  };
}

/** Code-unit order: the same on every machine, whatever its locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
