/**
 * The planner: desired endpoints, the lockfile and (online) the live endpoints in, a Plan
 * out. Pure and synchronous; the caller fetches everything beforehand.
 */
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import { AmbiguousAdoptionError } from '../common/errors.js';
import { healthOf } from '../common/live-state.js';
import { lockEntryOf } from '../lockfile/entries.js';
import type { LockEntry, Lockfile } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import type { DesiredEndpoint } from '../spec/types.js';
import { configDifferences } from './config-differences.js';
import { isDriftedField } from './drift.js';
import { identityField, matchesIdentity } from './identity.js';
import { impactOf, replaceReasons } from './impact.js';
import { maskDiff, type MaskContext } from './mask.js';
import {
  ACTIONS,
  PLAN_FORMAT_VERSION,
  type Action,
  type Change,
  type FieldDiff,
  type Plan,
  type PlanInput,
  type PlanSummary,
  type PlanWarning,
} from './types.js';

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
    if (state === undefined || healthOf(state) !== 'failed') return [];
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
  const orphans = new OrphanEntries(desired, lockfile);
  const changes = desired.map((endpoint) => {
    const entry = lockEntryOf(lockfile, endpoint.name);
    if (entry) return compareChange(endpoint, entry.id, diffFields(endpoint, endpoint.recorded, entry.applied, 'lockfile'), 'update');
    const moved = orphans.claimByAppName(endpoint, (orphan) => orphan.entry.applied.appName);
    if (moved) return moveChange(endpoint, moved, diffFields(endpoint, endpoint.recorded, moved.entry.applied, 'lockfile'));
    return offlineCreateChange(endpoint, lockfile);
  });
  return [...changes, ...orphans.remaining().map((orphan) => deleteChange(orphan, true))];
}

function offlineCreateChange(endpoint: DesiredEndpoint, lockfile: Lockfile): Change {
  const change = createChange(endpoint, 'lockfile');
  if (lockfile.pending.some((intent) => intent.name === endpoint.name)) {
    change.note = 'an earlier apply was interrupted while creating it: apply records the endpoint it made, if it exists, instead of creating another';
  }
  return change;
}

// ---------------------------------------------------------------- online

function planAgainstLive(desired: readonly DesiredEndpoint[], lockfile: Lockfile, live: readonly LiveEndpoint[]): Change[] {
  const liveById = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  const orphans = new OrphanEntries(desired, lockfile);
  const tracked: Change[] = [];
  const untracked: DesiredEndpoint[] = [];
  for (const endpoint of desired) {
    const entry = lockEntryOf(lockfile, endpoint.name);
    const current = entry && liveById.get(entry.id);
    if (current)
      tracked.push(compareChange(endpoint, current.id, diffFields(endpoint, endpoint.config, current.config, 'live', entry.applied), 'update'));
    else untracked.push(endpoint);
  }
  const finder = new LiveMatcher(lockfile, live, orphans);
  const found = orderForMatching(untracked).map((endpoint) => finder.planUntracked(endpoint));
  const leftovers = orphans.remaining().map((orphan) => deleteChange(orphan, liveById.has(orphan.entry.id)));
  return [...tracked, ...found, ...leftovers];
}

/** Specs with an appName claim their match first: an appName is unique, a name is not. */
const orderForMatching = (endpoints: readonly DesiredEndpoint[]): DesiredEndpoint[] =>
  [...endpoints].sort((a, b) => Number(a.config.appName === undefined) - Number(b.config.appName === undefined) || compareText(a.name, b.name));

interface Orphan {
  name: string;
  entry: LockEntry;
}

/** Lockfile entries no spec names any more: each is moved to a renamed spec, or deleted/forgotten. */
class OrphanEntries {
  private readonly orphans: Orphan[];

  constructor(desired: readonly DesiredEndpoint[], lockfile: Lockfile) {
    const wanted = new Set(desired.map((endpoint) => endpoint.name));
    this.orphans = Object.entries(lockfile.endpoints)
      .filter(([name]) => !wanted.has(name))
      .map(([name, entry]) => ({ name, entry }));
  }

  /**
   * The orphan a spec was renamed from: the same explicit appName (the platform keeps it
   * unique, so it is the same endpoint). A spec without appName cannot be told apart.
   */
  claimByAppName(endpoint: DesiredEndpoint, appNameOf: (orphan: Orphan) => string | undefined): Orphan | undefined {
    const appName = endpoint.config.appName;
    if (appName === undefined) return undefined;
    const index = this.orphans.findIndex((orphan) => appNameOf(orphan) === appName);
    return index === -1 ? undefined : this.orphans.splice(index, 1)[0];
  }

  remaining(): readonly Orphan[] {
    return this.orphans;
  }
}

/** Decides what an untracked spec is: a renamed one (move), a crashed create to record, an adoption, or a create. */
class LiveMatcher {
  /** Live endpoints that belong to a lockfile entry or were already matched: never matched (again). */
  private readonly claimed: Set<string>;
  private readonly liveById: Map<string, LiveEndpoint>;

  constructor(
    private readonly lockfile: Lockfile,
    private readonly live: readonly LiveEndpoint[],
    private readonly orphans: OrphanEntries,
  ) {
    this.claimed = new Set(Object.values(lockfile.endpoints).map((entry) => entry.id));
    this.liveById = new Map(live.map((endpoint) => [endpoint.id, endpoint]));
  }

  planUntracked(endpoint: DesiredEndpoint): Change {
    return this.planMove(endpoint) ?? this.planRecovery(endpoint) ?? this.planAdoptionOrCreate(endpoint);
  }

  /** A renamed spec: its old lockfile entry's live endpoint has the spec's appName. */
  private planMove(endpoint: DesiredEndpoint): Change | undefined {
    const orphan = this.orphans.claimByAppName(endpoint, (candidate) => this.liveById.get(candidate.entry.id)?.config.appName);
    const current = orphan && this.liveById.get(orphan.entry.id);
    if (!orphan || !current) return undefined;
    return moveChange(endpoint, orphan, diffFields(endpoint, endpoint.config, current.config, 'live', orphan.entry.applied));
  }

  /**
   * A create an earlier apply started (its intent is in the lockfile's `pending` list) and
   * that landed: apply records it instead of creating another. Not an adoption: ppio-deploy
   * made it, so no flag is needed.
   */
  private planRecovery(endpoint: DesiredEndpoint): Change | undefined {
    const intent = this.lockfile.pending.find((pending) => pending.name === endpoint.name);
    if (!intent) return undefined;
    const made = this.unclaimedMatches({ name: intent.name, appName: intent.appName });
    if (made.length !== 1) return undefined;
    const [found] = made as [LiveEndpoint];
    this.claimed.add(found.id);
    const fields = diffFields(endpoint, endpoint.config, found.config, 'live');
    // The spec changed an immutable field since that create: the endpoint it left is replaced.
    if (replaceReasons(fields).length > 0) return compareChange(endpoint, found.id, fields, 'update');
    const change = createChange(endpoint, 'live');
    change.id = found.id;
    change.note = `an earlier apply was interrupted after creating it as ${found.id}: apply records that endpoint instead of creating another`;
    return change;
  }

  /** Adopt (guarded) the one unrecorded live endpoint with the spec's identity, else create. */
  private planAdoptionOrCreate(endpoint: DesiredEndpoint): Change {
    const matchedBy = identityField(endpoint.config);
    const candidates = this.unclaimedMatches(endpoint.config);
    if (candidates.length > 1)
      throw new AmbiguousAdoptionError(
        endpoint.name,
        candidates.map((c) => c.id),
        matchedBy,
      );
    const [candidate] = candidates;
    if (!candidate) {
      const change = createChange(endpoint, 'live');
      const staleEntry = lockEntryOf(this.lockfile, endpoint.name);
      if (staleEntry) change.note = `endpoint ${staleEntry.id} in the lockfile no longer exists (deleted outside ppio-deploy); it is created again`;
      return change;
    }
    this.claimed.add(candidate.id);
    const change = compareChange(endpoint, candidate.id, diffFields(endpoint, endpoint.config, candidate.config, 'live'), 'adopt');
    change.note =
      `live endpoint ${candidate.id} has this ${matchedBy} but is not in the lockfile: ` +
      '`apply --adopt` takes it over (this is also how a lost lockfile is recovered), or give the spec another ' +
      matchedBy;
    return change;
  }

  private unclaimedMatches(wanted: Pick<EndpointConfig, 'name' | 'appName'>): LiveEndpoint[] {
    return this.live.filter((live) => !this.claimed.has(live.id) && matchesIdentity(wanted, live.config));
  }
}

// ---------------------------------------------------------------- changes

function createChange(endpoint: DesiredEndpoint, compareWith: MaskContext['compareWith']): Change {
  const config = compareWith === 'live' ? endpoint.config : endpoint.recorded;
  const fields = diffFields(endpoint, config, undefined, compareWith);
  return { name: endpoint.name, action: 'create', source: endpoint.source, impact: impactOf('create', fields), fields };
}

/** An update or adopt, which becomes a replace when an immutable field differs, or a noop. */
function compareChange(endpoint: DesiredEndpoint, id: string, fields: FieldDiff[], action: 'update' | 'adopt' | 'move'): Change {
  const resolved: Action = replaceReasons(fields).length > 0 ? 'replace' : action === 'update' && fields.length === 0 ? 'noop' : action;
  return { name: endpoint.name, action: resolved, id, source: endpoint.source, impact: impactOf(resolved, fields), fields };
}

/** The same endpoint under the spec's new name; a replace (recorded under the new name) when an immutable field changed too. */
function moveChange(endpoint: DesiredEndpoint, orphan: Orphan, fields: FieldDiff[]): Change {
  const change = compareChange(endpoint, orphan.entry.id, fields, 'move');
  change.from = orphan.name;
  if (change.action === 'move') change.note = `renamed from "${orphan.name}": the same endpoint (same id and URL), recorded under the new name`;
  return change;
}

function deleteChange(orphan: Orphan, exists: boolean): Change {
  const { name, entry } = orphan;
  if (!exists) {
    return {
      name,
      action: 'forget',
      id: entry.id,
      source: entry.source,
      impact: 'none',
      fields: [],
      note: `endpoint ${entry.id} no longer exists live: apply only removes it from the lockfile`,
    };
  }
  return { name, action: 'delete', id: entry.id, source: entry.source, impact: 'destroy', fields: [] };
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
    if (recorded && current && isDriftedField(diff, { desired, live: current, applied: recorded })) field.drift = true;
    return field;
  });
}
