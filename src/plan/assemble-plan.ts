/**
 * The planner: desired endpoints, the lockfile and (online) the live endpoints in, a Plan
 * out. Pure and synchronous; the caller fetches everything beforehand.
 */
import type { LiveEndpoint } from '../api/types.js';
import { AmbiguousAdoptionError } from '../common/errors.js';
import { lockEntryOf } from '../lockfile/entries.js';
import type { LockEntry, Lockfile } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import type { DesiredEndpoint } from '../spec/types.js';
import { valueAtPointer } from '../common/json-pointer.js';
import { isTemplated } from '../common/template.js';
import { configDifferences } from './config-differences.js';
import { isDeepEqual, type RawDiff } from './diff.js';
import { impactOf, replaceReasons } from './impact.js';
import { maskDiff, type MaskContext } from './mask.js';
import { ACTIONS, PLAN_FORMAT_VERSION, type Action, type Change, type FieldDiff, type Plan, type PlanInput, type PlanSummary, type PlanWarning } from './types.js';

export function assemblePlan({ desired, lockfile, live, environment }: PlanInput): Plan {
  const changes = live === undefined ? planAgainstLockfile(desired, lockfile) : planAgainstLive(desired, lockfile, live);
  changes.sort((a, b) => compareText(a.name, b.name));
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    mode: live === undefined ? 'offline' : 'online',
    environment: environment ?? null,
    changes,
    unmanaged: live === undefined ? [] : unmanagedNames(live, lockfile, changes),
    warnings: live === undefined ? [] : failedEndpointWarnings(live, lockfile),
    summary: summarizeChanges(changes),
  };
}

/** Live endpoints nobody manages: not in the lockfile, and no change takes them over. */
function unmanagedNames(live: readonly LiveEndpoint[], lockfile: Lockfile, changes: readonly Change[]): string[] {
  const managed = new Set([...Object.values(lockfile.endpoints).map((entry) => entry.id), ...changes.flatMap((change) => change.id ?? [])]);
  return live
    .filter((endpoint) => !managed.has(endpoint.id))
    .map((endpoint) => endpoint.config.name)
    .sort(compareText);
}

/** A managed endpoint the platform reports as failed: no change may be planned, but a reviewer must know. */
function failedEndpointWarnings(live: readonly LiveEndpoint[], lockfile: Lockfile): PlanWarning[] {
  const liveById = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  return Object.entries(lockfile.endpoints).flatMap(([name, entry]) => {
    const state = liveById.get(entry.id)?.state;
    if (state?.state !== 'failed') return [];
    const reason = state.message || state.error || 'the platform gives no reason';
    return [{ name, message: `endpoint ${name} (${entry.id}) is failed: ${reason}` }];
  });
}

/** How many changes of each action: computed here once, for every format to read. */
export function summarizeChanges(changes: readonly Change[]): PlanSummary {
  const summary = Object.fromEntries(ACTIONS.map((action) => [action, 0])) as PlanSummary;
  for (const change of changes) summary[change.action] += 1;
  return summary;
}

/** Code-unit order: the same on every machine, whatever its locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------- offline

function planAgainstLockfile(desired: readonly DesiredEndpoint[], lockfile: Lockfile): Change[] {
  const changes = desired.map((endpoint) => {
    const entry = lockEntryOf(lockfile, endpoint.name);
    if (!entry) return offlineCreateChange(endpoint, lockfile);
    const fields = diffFields(endpoint, endpoint.recorded, entry.applied, 'lockfile');
    return compareChange(endpoint, entry.id, fields, 'update');
  });
  return [...changes, ...deleteChanges(desired, lockfile, () => true)];
}

function offlineCreateChange(endpoint: DesiredEndpoint, lockfile: Lockfile): Change {
  const change = createChange(endpoint, 'lockfile');
  if (lockfile.pending.some((intent) => intent.name === endpoint.name)) {
    change.note = 'an earlier apply was interrupted while creating it: apply adopts the endpoint if it exists';
  }
  return change;
}

// ---------------------------------------------------------------- online

function planAgainstLive(desired: readonly DesiredEndpoint[], lockfile: Lockfile, live: readonly LiveEndpoint[]): Change[] {
  const liveById = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  const tracked: Change[] = [];
  const untracked: DesiredEndpoint[] = [];
  for (const endpoint of desired) {
    const entry = lockEntryOf(lockfile, endpoint.name);
    const current = entry && liveById.get(entry.id);
    if (current) tracked.push(compareChange(endpoint, current.id, diffFields(endpoint, endpoint.config, current.config, 'live', entry.applied), 'update'));
    else untracked.push(endpoint);
  }
  const adoption = new AdoptionFinder(lockfile, live);
  const found = orderForAdoption(untracked).map((endpoint) => adoption.planUntracked(endpoint));
  return [...tracked, ...found, ...deleteChanges(desired, lockfile, (id) => liveById.has(id))];
}

/** Specs with an appName claim their match first: an appName is unique, a name is not. */
const orderForAdoption = (endpoints: readonly DesiredEndpoint[]): DesiredEndpoint[] =>
  [...endpoints].sort(
    (a, b) => Number(a.config.appName === undefined) - Number(b.config.appName === undefined) || compareText(a.name, b.name),
  );

class AdoptionFinder {
  /** Live endpoints that belong to a lockfile entry or were just adopted: never adopted (again). */
  private readonly claimed: Set<string>;

  constructor(
    private readonly lockfile: Lockfile,
    private readonly live: readonly LiveEndpoint[],
  ) {
    this.claimed = new Set(Object.values(lockfile.endpoints).map((entry) => entry.id));
  }

  /** A spec not tracked live: adopt the one live endpoint that is evidently it, else create. */
  planUntracked(endpoint: DesiredEndpoint): Change {
    const staleEntry = lockEntryOf(this.lockfile, endpoint.name);
    const matchedBy = endpoint.config.appName === undefined ? 'name' : 'appName';
    const candidates = this.live.filter((live) => !this.claimed.has(live.id) && this.isSameEndpoint(endpoint, live));
    if (candidates.length > 1) throw new AmbiguousAdoptionError(endpoint.name, candidates.map((c) => c.id), matchedBy);

    const [candidate] = candidates;
    if (!candidate) {
      const change = createChange(endpoint, 'live');
      if (staleEntry) change.note = `endpoint ${staleEntry.id} in the lockfile no longer exists (deleted outside ppio-deploy); it is created again`;
      return change;
    }
    this.claimed.add(candidate.id);
    const fields = diffFields(endpoint, endpoint.config, candidate.config, 'live');
    const change = compareChange(endpoint, candidate.id, fields, 'adopt');
    change.note = this.adoptionNote(endpoint, candidate.id, matchedBy);
    return change;
  }

  /** Same appName (or name, for a spec without appName), or the target of an interrupted create. */
  private isSameEndpoint(endpoint: DesiredEndpoint, live: LiveEndpoint): boolean {
    if (matchesIdentity(endpoint.config, live.config)) return true;
    const intent = this.pendingIntent(endpoint.name);
    return intent !== undefined && matchesIdentity({ name: intent.name, appName: intent.appName }, live.config);
  }

  private pendingIntent(name: string) {
    return this.lockfile.pending.find((intent) => intent.name === name);
  }

  private adoptionNote(endpoint: DesiredEndpoint, id: string, matchedBy: 'appName' | 'name'): string {
    const why = this.pendingIntent(endpoint.name)
      ? 'created by an interrupted apply'
      : `not in the lockfile, with the same ${matchedBy}`;
    return `takes over live endpoint ${id} (${why})`;
  }
}

const matchesIdentity = (wanted: Pick<EndpointConfig, 'name' | 'appName'>, live: EndpointConfig): boolean =>
  wanted.appName === undefined ? live.name === wanted.name : live.appName === wanted.appName;

// ---------------------------------------------------------------- changes

function createChange(endpoint: DesiredEndpoint, compareWith: MaskContext['compareWith']): Change {
  const config = compareWith === 'live' ? endpoint.config : endpoint.recorded;
  const fields = diffFields(endpoint, config, undefined, compareWith);
  return { name: endpoint.name, action: 'create', source: endpoint.source, impact: impactOf('create', fields), fields };
}

/** An update or adopt, which becomes a replace when an immutable field differs, or a noop. */
function compareChange(endpoint: DesiredEndpoint, id: string, fields: FieldDiff[], action: 'update' | 'adopt'): Change {
  const resolved: Action =
    replaceReasons(fields).length > 0 ? 'replace' : action === 'update' && fields.length === 0 ? 'noop' : action;
  return { name: endpoint.name, action: resolved, id, source: endpoint.source, impact: impactOf(resolved, fields), fields };
}

function deleteChanges(desired: readonly DesiredEndpoint[], lockfile: Lockfile, exists: (id: string) => boolean): Change[] {
  const wanted = new Set(desired.map((endpoint) => endpoint.name));
  return Object.entries(lockfile.endpoints)
    .filter(([name]) => !wanted.has(name))
    .map(([name, entry]) => deleteChange(name, entry, exists(entry.id)));
}

function deleteChange(name: string, entry: LockEntry, exists: boolean): Change {
  const change: Change = { name, action: 'delete', id: entry.id, source: entry.source, impact: 'destroy', fields: [] };
  if (!exists) change.note = `endpoint ${entry.id} no longer exists (deleted outside ppio-deploy); apply only removes it from the lockfile`;
  return change;
}

function diffFields(
  endpoint: DesiredEndpoint,
  desired: EndpointConfig,
  current: EndpointConfig | undefined,
  compareWith: MaskContext['compareWith'],
  recorded?: EndpointConfig,
): FieldDiff[] {
  const context: MaskContext = { sensitivePaths: new Set(endpoint.sensitivePaths), compareWith, desired, current, recorded };
  return configDifferences(desired, current).map((diff) => {
    const field = maskDiff(diff, context);
    if (isDrift(diff, recorded)) field.drift = true;
    return field;
  });
}

/**
 * The live value (`before`, online) is not what the lockfile says was applied: someone
 * changed it outside ppio-deploy, and this change reverts it. Unknown (false) where the
 * lockfile keeps a template: the applied secret itself is not recorded.
 */
function isDrift(diff: RawDiff, recorded: EndpointConfig | undefined): boolean {
  if (recorded === undefined) return false;
  const applied = valueAtPointer(recorded, diff.path);
  if (containsTemplate(applied)) return false;
  return !isDeepEqual(diff.before, applied);
}

const containsTemplate = (value: unknown): boolean =>
  typeof value === 'string' ? isTemplated(value) : typeof value === 'object' && value !== null && Object.values(value).some(containsTemplate);
