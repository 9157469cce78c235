/**
 * The executor: runs a plan's changes against the API with bounded concurrency and records
 * each result through the lockfile session as it completes. Effects only; it reports
 * progress as events and never prints.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { ApiError, AmbiguousAdoptionError } from '../common/errors.js';
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { LockEntry } from '../lockfile/types.js';
import { configMatches, identityField, isGuarded, matchesIdentity, type Change, type GuardedAction, type Plan } from '../plan/index.js';
import type { DesiredEndpoint } from '../spec/types.js';
import {
  emptyCounts,
  type ApplyCounts,
  type ApplyEvent,
  type ApplyFailure,
  type ApplyInput,
  type ApplyResult,
  type CreateIntents,
  type GuardFlags,
  type Outcome,
} from './types.js';
import { waitUntilServing, type TouchedEndpoint } from './wait-serving.js';

/** A create POST is sent at most this many times, each one after checking it did not already land. */
const MAX_CREATE_ATTEMPTS = 3;
/** Backoff before re-sending a create the service refused as overloaded (429/5xx); doubles each time. */
const CREATE_BACKOFF_MS = 500;

/** Runs every change the flags allow; guarded ones without their flag are held back, with no API call. */
export async function applyPlan(input: ApplyInput): Promise<ApplyResult> {
  return new ApplyRun(input).execute();
}

/**
 * The changes apply would hold back: a delete or replace without --allow-delete, an adopt
 * without --adopt. Anchor: Argo CD's sync with prune=false; the rest of the plan still applies.
 */
export function heldBackChanges(plan: Plan, allowed: GuardFlags): Change[] {
  return plan.changes.filter((change) => isGuarded(change.action) && !isAllowed(change.action, allowed));
}

const isAllowed = (action: GuardedAction, allowed: GuardFlags): boolean => (action === 'adopt' ? allowed.adopt : allowed.allowDelete);

/** The changes apply carries out: neither no-ops nor held back. */
const activeChanges = (plan: Plan, heldBack: readonly Change[]): Change[] =>
  plan.changes.filter((change) => change.action !== 'noop' && !heldBack.includes(change));

/**
 * Every create's intent is made durable before any create is sent: one group commit for
 * the whole plan instead of a journal round trip per create on the critical path. An
 * intent whose create never ran is harmless: the next run finds nothing and creates.
 * applyPlan records them itself; a caller that knows the plan will run (nothing left to ask)
 * may begin it sooner and pass it in, so the journal write overlaps printing the plan.
 */
export function recordCreateIntents(input: Pick<ApplyInput, 'plan' | 'desired' | 'session' | 'allowDelete' | 'adopt'>): CreateIntents {
  const { session } = input;
  const creating = activeChanges(input.plan, heldBackChanges(input.plan, input)).filter(
    (change) => change.action === 'create' || change.action === 'replace',
  );
  const earlier = new Set(creating.filter((change) => session.hasPending(change.name)).map((change) => change.name));
  const durable = Promise.all(
    creating.map((change) => {
      const appName = input.desired.get(change.name)?.config.appName;
      return session.recordPending({ name: change.name, ...(appName === undefined ? {} : { appName }), source: change.source });
    }),
  ).then(() => undefined);
  durable.catch(() => undefined); // awaited by applyPlan, which reports a failure
  return { earlier, durable };
}

interface Done {
  outcome: Outcome;
  id: string;
  url?: string;
}

/** A change that failed for a reason this module explains itself (the message is the whole story). */
class ChangeFailure extends Error {}

class ApplyRun {
  private readonly counts: ApplyCounts = emptyCounts();
  private readonly failures: ApplyFailure[] = [];
  private readonly touched: TouchedEndpoint[] = [];
  /** Endpoints this run deleted: a lookup must never adopt one that is still shutting down. */
  private readonly deletedIds = new Set<string>();
  /** Created endpoints whose URL is still to be read, by spec name. */
  private readonly urlsToRead = new Map<string, LockEntry>();
  /** Names whose create intent an earlier, interrupted run left: look before creating. */
  private earlierIntents: ReadonlySet<string> = new Set();
  /** Lockfile records in flight; awaited before the run ends (see `record`). */
  private readonly recordsInFlight: Promise<void>[] = [];
  private readonly limit: LimitFunction;

  constructor(private readonly input: ApplyInput) {
    this.limit = pLimit(Math.max(1, input.concurrency));
  }

  async execute(): Promise<ApplyResult> {
    const heldBack = heldBackChanges(this.input.plan, this.input);
    const active = activeChanges(this.input.plan, heldBack);
    const intents = this.input.intents ?? recordCreateIntents(this.input);
    this.earlierIntents = intents.earlier;
    await intents.durable;
    // Deletes go first, so a spec renamed with its appName kept can take the appName over.
    await this.runAll(active.filter((change) => change.action === 'delete'));
    await this.runAll(active.filter((change) => change.action !== 'delete'));
    await this.readNewUrls();
    await Promise.all(this.recordsInFlight);
    if (this.input.wait && this.touched.length > 0 && !this.input.stop?.aborted) {
      const waitFailures = await waitUntilServing(this.touched, {
        api: this.input.api,
        limit: this.limit,
        timeoutMs: this.input.wait.timeoutMs,
        pollMs: this.input.wait.pollMs,
        emit: (event) => this.emit(event),
      });
      this.failures.push(...waitFailures);
    }
    return { counts: { ...this.counts }, failures: [...this.failures], heldBack };
  }

  /**
   * A finished operation's lockfile record is durable shortly after, in the next group
   * commit; the operation does not hold its concurrency slot while it waits. Nothing is
   * lost if the run dies first: the create intent (already durable) makes the next run look
   * the endpoint up, and updates and deletes are planned again. A failed write is reported.
   */
  private record(write: Promise<void>, change: Change): void {
    this.recordsInFlight.push(
      write.catch((error: unknown) => {
        this.failures.push({ name: change.name, action: change.action, message: `done, but not recorded in the lockfile: ${messageOf(error)}` });
      }),
    );
  }

  private emit(event: ApplyEvent): void {
    this.input.onEvent?.(event);
  }

  private async runAll(changes: Change[]): Promise<void> {
    await Promise.all(changes.map((change) => this.limit(() => (this.input.stop?.aborted ? this.leaveUnstarted(change) : this.runChange(change)))));
  }

  /** Interrupted before this change started: its create intent (made by this run) is withdrawn. */
  private async leaveUnstarted(change: Change): Promise<void> {
    const creates = change.action === 'create' || change.action === 'replace';
    if (creates && !this.earlierIntents.has(change.name)) this.record(this.input.session.clearPending(change.name), change);
  }

  private async runChange(change: Change): Promise<void> {
    const started = performance.now();
    this.emit({ type: 'started', change });
    try {
      const done = await this.perform(change);
      this.counts[done.outcome] += 1;
      if (done.outcome !== 'deleted') this.touched.push({ name: change.name, id: done.id });
      const durationMs = performance.now() - started;
      this.emit({ type: 'finished', change, outcome: done.outcome, id: done.id, ...(done.url ? { url: done.url } : {}), durationMs });
    } catch (error) {
      const message = messageOf(error);
      this.failures.push({ name: change.name, action: change.action, message });
      this.emit({ type: 'failed', change, error: message, durationMs: performance.now() - started });
    }
  }

  private perform(change: Change): Promise<Done> {
    switch (change.action) {
      case 'create':
        return this.createOrReconcile(change, this.desiredFor(change));
      case 'adopt':
        return this.adopt(change, this.desiredFor(change));
      case 'update':
        return this.update(change, this.desiredFor(change));
      case 'replace':
        return this.replace(change, this.desiredFor(change));
      case 'delete':
        return this.delete(change);
      case 'move':
        return this.move(change, this.desiredFor(change));
      case 'forget':
        return this.forget(change);
      case 'noop':
        return Promise.reject(new Error(`nothing to do for ${change.name}`));
    }
  }

  private desiredFor(change: Change): DesiredEndpoint {
    const desired = this.input.desired.get(change.name);
    if (!desired) throw new Error(`the plan names "${change.name}", but no spec defines it; run plan again`);
    return desired;
  }

  // ------------------------------------------------------------------ create

  /**
   * Creates, its intent already durable (recordCreateIntents). When this run's or an earlier
   * run's create may have landed, it looks for the endpoint first and records it, so no spec
   * ever gets two. An endpoint it did not make is taken over only with --adopt.
   */
  private async createOrReconcile(change: Change, desired: DesiredEndpoint): Promise<Done> {
    const { session, api } = this.input;
    if (this.earlierIntents.has(change.name)) {
      const found = await this.findExisting(desired);
      if (found) return this.recordFound(change, desired, found, 'created');
    }

    let mayHaveLanded = false;
    let lastError: unknown;
    try {
      for (let attempt = 1; attempt <= MAX_CREATE_ATTEMPTS; attempt += 1) {
        if (attempt > 1) {
          const found = await this.findExisting(desired);
          if (found && mayHaveLanded) return await this.recordFound(change, desired, found, 'created');
          if (found && this.input.adopt) return await this.recordFound(change, desired, found, 'adopted');
          if (found) throw new ChangeFailure(takenMessage(desired, found.id));
        }
        let id: string;
        try {
          ({ id } = await api.createEndpoint(desired.config));
        } catch (error) {
          if (!isRetryableCreateFailure(error)) {
            mayHaveLanded ||= !isAnsweredFailure(error);
            throw error;
          }
          // 429 means the service did not act on it; a 5xx might have (the real service is not documented).
          mayHaveLanded ||= error.responseLost || (error.status !== undefined && error.status >= 500);
          lastError = error;
          if (isOverloaded(error)) await delay(CREATE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
          continue;
        }
        mayHaveLanded = true;
        return await this.recordCreated(change, desired, id);
      }
      throw new ChangeFailure(`${messageOf(lastError)} (gave up after ${MAX_CREATE_ATTEMPTS} create attempts)`);
    } catch (error) {
      if (!mayHaveLanded) {
        await session.clearPending(change.name);
        throw error;
      }
      throw new ChangeFailure(`${messageOf(error)}; the endpoint may exist: the next apply finds and records it`);
    }
  }

  /**
   * The create answers only the id. The URL must be read from the API (never built), but a
   * GET per create would double the round trips of a large apply: the id is recorded now
   * (durable at once) and every new URL is read with one paged list when the operations end.
   */
  private async recordCreated(change: Change, desired: DesiredEndpoint, id: string): Promise<Done> {
    const entry: LockEntry = { id, url: '', source: change.source, applied: desired.recorded };
    this.record(this.input.session.recordEndpoint(change.name, entry), change);
    this.urlsToRead.set(change.name, entry);
    return { outcome: 'created', id };
  }

  private async readNewUrls(): Promise<void> {
    if (this.urlsToRead.size === 0) return;
    const { api } = this.input;
    const urls = new Map<string, string>();
    try {
      // About as many endpoints as the plan covers: their pages are asked for at once.
      for (const endpoint of await api.listEndpoints({ expectedCount: this.input.plan.changes.length })) urls.set(endpoint.id, endpoint.url);
    } catch {
      // The endpoints exist and are recorded; fall back to one GET each below.
    }
    await Promise.all(
      [...this.urlsToRead].map(async ([name, entry]) => {
        const listed = urls.get(entry.id);
        if (listed !== undefined) return this.recordUrl(name, entry.id, listed);
        await this.limit(async () => {
          try {
            this.recordUrl(name, entry.id, (await api.getEndpoint(entry.id)).url);
          } catch (error) {
            this.failures.push({ name, action: 'create', message: `created as ${entry.id}, but its URL could not be read: ${messageOf(error)}` });
          }
        });
      }),
    );
  }

  /** Like `record`: the URLs of a large apply share one group commit instead of one per concurrency slot. */
  private recordUrl(name: string, id: string, url: string): void {
    this.recordsInFlight.push(
      this.input.session.recordUrl(name, id, url).then(
        () => this.emit({ type: 'url', name, id, url }),
        (error: unknown) => {
          this.failures.push({ name, action: 'create', message: `created as ${id}, but its URL could not be recorded: ${messageOf(error)}` });
        },
      ),
    );
  }

  /**
   * Records an endpoint a create (ours or an earlier run's) already made, or one --adopt
   * allows taking over, then updates it if needed.
   */
  private async recordFound(change: Change, desired: DesiredEndpoint, found: LiveEndpoint, outcome: 'created' | 'adopted'): Promise<Done> {
    this.emit({ type: 'reconciled', name: change.name, id: found.id });
    if (!configMatches(desired.config, found.config)) await this.input.api.updateEndpoint(found.id, desired.config);
    this.record(
      this.input.session.recordEndpoint(change.name, { id: found.id, url: found.url, source: change.source, applied: desired.recorded }),
      change,
    );
    if (outcome === 'created') this.emit({ type: 'url', name: change.name, id: found.id, url: found.url });
    return { outcome, id: found.id, url: found.url };
  }

  /**
   * The live endpoint that is this spec's: same appName, or same name when the spec has no
   * appName; never one the lockfile gives to another spec, nor one this run deleted.
   */
  private async findExisting(desired: DesiredEndpoint): Promise<LiveEndpoint | undefined> {
    const live = await this.input.api.listEndpoints();
    const matchedBy = identityField(desired.config);
    const matches = live.filter((endpoint) => !this.deletedIds.has(endpoint.id) && matchesIdentity(desired.config, endpoint.config));
    const { session } = this.input;
    const ownerOf = (id: string) => {
      const name = session.nameOf(id);
      return name === desired.name ? undefined : name;
    };
    const unclaimed = matches.filter((endpoint) => ownerOf(endpoint.id) === undefined);
    if (unclaimed.length > 1)
      throw new AmbiguousAdoptionError(
        desired.name,
        unclaimed.map((endpoint) => endpoint.id),
        matchedBy,
      );
    const claimed = matches.find((endpoint) => ownerOf(endpoint.id) !== undefined);
    if (unclaimed.length === 0 && claimed && matchedBy === 'appName') {
      throw new ChangeFailure(
        `appName "${desired.config.appName}" is already used by endpoint ${claimed.id}, which the lockfile records as "${ownerOf(claimed.id)}"`,
      );
    }
    return unclaimed[0];
  }

  // ------------------------------------------------------------------ adopt, update, delete, replace

  private async adopt(change: Change, desired: DesiredEndpoint): Promise<Done> {
    const id = requireId(change);
    const live = await this.input.api.getEndpoint(id).catch((error: unknown) => rethrowGone(error, change, id));
    if (change.fields.length > 0) {
      await this.input.api.updateEndpoint(id, desired.config).catch((error: unknown) => rethrowGone(error, change, id));
    }
    this.record(this.input.session.recordEndpoint(change.name, { id, url: live.url, source: change.source, applied: desired.recorded }), change);
    return { outcome: 'adopted', id, url: live.url };
  }

  private async update(change: Change, desired: DesiredEndpoint): Promise<Done> {
    const id = requireId(change);
    await this.input.api.updateEndpoint(id, desired.config).catch((error: unknown) => rethrowGone(error, change, id));
    const known = this.input.session.entry(change.name);
    const url = known?.id === id && known.url !== '' ? known.url : (await this.input.api.getEndpoint(id)).url;
    this.record(this.input.session.recordEndpoint(change.name, { id, url, source: change.source, applied: desired.recorded }), change);
    return { outcome: 'updated', id, url };
  }

  private async delete(change: Change): Promise<Done> {
    const id = requireId(change);
    await this.deleteEndpoint(change, id);
    return { outcome: 'deleted', id };
  }

  /** The endpoint is already gone live: only its lockfile entry goes. */
  private async forget(change: Change): Promise<Done> {
    const { session } = this.input;
    this.record(session.removeEndpoint(change.name), change);
    if (session.hasPending(change.name)) this.record(session.clearPending(change.name), change);
    return { outcome: 'forgotten', id: requireId(change) };
  }

  /**
   * The endpoint is renamed in the spec: the same endpoint (same id and URL) gets the new
   * name, live and in the lockfile. The old entry goes first, so the lockfile never holds
   * one id under two names.
   */
  private async move(change: Change, desired: DesiredEndpoint): Promise<Done> {
    const { api, session } = this.input;
    const id = requireId(change);
    const from = change.from ?? change.name;
    await api.updateEndpoint(id, desired.config).catch((error: unknown) => rethrowGone(error, change, id));
    const known = session.entry(from);
    const url = known?.id === id && known.url !== '' ? known.url : (await api.getEndpoint(id)).url;
    this.record(session.removeEndpoint(from), change);
    this.record(session.recordEndpoint(change.name, { id, url, source: change.source, applied: desired.recorded }), change);
    return { outcome: 'moved', id, url };
  }

  /**
   * A new endpoint (new id and URL) in place of the old one. With a new appName the new
   * endpoint is created first and the old one deleted only after that succeeded. With the
   * same appName (unique on the platform) the old one must go first; if the create then
   * fails, the deletion is reported and recorded as what it is.
   */
  private async replace(change: Change, desired: DesiredEndpoint): Promise<Done> {
    const oldId = requireId(change);
    const from = change.from ?? change.name;
    const appNameChanges = desired.config.appName !== undefined && change.fields.some((field) => field.path === '/appName');
    if (appNameChanges) return this.createThenDelete(change, desired, oldId, from);

    await this.deleteEndpoint(change, oldId, from);
    try {
      const created = await this.createOrReconcile(change, desired);
      return { ...created, outcome: 'replaced' };
    } catch (error) {
      this.counts.deleted += 1;
      throw new ChangeFailure(
        `deleted endpoint ${oldId}, but creating its replacement failed: ${messageOf(error)}. ` +
          `"${change.name}" has no endpoint now (the lockfile says so); fix the cause and run apply again to create it`,
      );
    }
  }

  private async createThenDelete(change: Change, desired: DesiredEndpoint, oldId: string, from: string): Promise<Done> {
    let created: Done;
    try {
      created = await this.createOrReconcile(change, desired);
    } catch (error) {
      throw new ChangeFailure(`${messageOf(error)}; endpoint ${oldId} was not deleted and still serves`);
    }
    if (from !== change.name) this.record(this.input.session.removeEndpoint(from), change);
    try {
      await this.deleteLive(oldId);
    } catch (error) {
      throw new ChangeFailure(
        `created ${created.id}, but the old endpoint ${oldId} could not be deleted: ${messageOf(error)}; ` +
          'it is no longer in the lockfile: delete it in the console, or record it elsewhere with `ppio-deploy import`',
      );
    }
    return { ...created, outcome: 'replaced' };
  }

  private async deleteLive(id: string): Promise<void> {
    try {
      await this.input.api.deleteEndpoint(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.isNotFound)) throw error;
    }
    this.deletedIds.add(id);
  }

  /** A replace keeps its create intent (recorded up front) across the delete. */
  private async deleteEndpoint(change: Change, id: string, recordedAs = change.name): Promise<void> {
    const { session } = this.input;
    await this.deleteLive(id);
    this.record(session.removeEndpoint(recordedAs), change);
    if (change.action === 'delete' && session.hasPending(change.name)) this.record(session.clearPending(change.name), change);
  }
}

function takenMessage(desired: DesiredEndpoint, id: string): string {
  const field = identityField(desired.config);
  return `live endpoint ${id}, which the lockfile does not record, already has ${field} "${desired.config[field]}": rerun with --adopt to take it over, or give the spec another ${field}`;
}

/** A create worth sending again, after looking the endpoint up: it may have landed, or was refused only for load. */
function isRetryableCreateFailure(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.responseLost || error.reason === 'SERVERLESS_APP_NAME_IS_EXIST' || isOverloaded(error));
}

const isOverloaded = (error: ApiError): boolean => error.status === 429 || (error.status !== undefined && error.status >= 500);

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The server answered that the call failed. Anything else (no status, an unreadable success
 * body) leaves open whether the create landed, so its pending intent is kept.
 */
function isAnsweredFailure(error: unknown): boolean {
  return error instanceof ApiError && error.status !== undefined && !error.responseLost && error.reason !== 'MALFORMED_RESPONSE';
}

function requireId(change: Change): string {
  if (!change.id) throw new Error(`the plan's ${change.action} of "${change.name}" has no endpoint id; run plan again`);
  return change.id;
}

function rethrowGone(error: unknown, change: Change, id: string): never {
  if (error instanceof ApiError && error.isNotFound) {
    throw new ChangeFailure(
      `endpoint ${id} ("${change.name}") no longer exists (deleted outside ppio-deploy?); run plan again: it will plan a create`,
    );
  }
  throw error;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
