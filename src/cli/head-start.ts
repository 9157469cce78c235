/**
 * The live state a plan starts from (the endpoint list, the limits, the product catalogue)
 * depends on the config, the API key and the lockfile, not on the specs. `plan` and `apply`
 * start reading it as soon as the config is known, so its round trips overlap reading and
 * validating the specs instead of following them. Nothing a spec says is sent before the
 * specs are valid: the storages and registry auths a spec refers to are read later, as
 * before.
 *
 * It is only a head start, read by a client of its own that never retries. Whatever it could
 * not read is read again the usual way when the plan needs it, so every failure is reported
 * exactly as without it; and a run that stops before (invalid specs) abandons it at once.
 */
import type { EndpointLimits, LiveEndpoint, PpioClient, ServerlessProduct } from '../api/types.js';
import { assertSafeBaseUrl, createPpioClient } from '../api/index.js';
import type { ProjectConfig } from '../config/types.js';
import { apiOriginOf, assertLockfileOrigin, readLockfileSnapshotNow, type LockfileSnapshot } from '../lockfile/index.js';
import type { CommandContext } from './context.js';
import { lockfileName } from './project.js';

/** Reads begun early; each is used only if it succeeded. */
export interface EarlyReads {
  live: Promise<LiveEndpoint[]>;
  limits: Promise<EndpointLimits>;
  products: Promise<ServerlessProduct[]>;
}

export interface HeadStart {
  /** The lockfile as read when the config was known (plan uses it; apply reads it again under the lock). */
  snapshot: Promise<LockfileSnapshot>;
  /** The early reads, if they were made for a lockfile with exactly this text (the ids they checked). */
  readsFor(snapshot: LockfileSnapshot): Promise<EarlyReads | undefined>;
  /** Ends whatever is still in flight; the reads already made stay usable. Idempotent. */
  close(): void;
}

/** A head start that loadValidProject's `onConfig` begins, if the run gets that far; close() ends it either way. */
export class EarlyLiveState {
  private started: HeadStart | undefined;

  constructor(private readonly ctx: CommandContext) {}

  readonly onConfig = (config: ProjectConfig): void => {
    this.started = startHeadStart(this.ctx, config, lockfileName(this.ctx, config));
  };

  get headStart(): HeadStart | undefined {
    return this.started;
  }

  close(): void {
    this.started?.close();
  }
}

/** Starts the early reads for `config`, or returns undefined when the run will not talk to an API. */
export function startHeadStart(ctx: CommandContext, config: ProjectConfig, lockfileName: string): HeadStart | undefined {
  const apiKey = ctx.env[config.apiKeyEnv]?.trim();
  if (!apiKey) return undefined;
  let client: PpioClient;
  try {
    assertSafeBaseUrl(config.baseUrl);
    client = createPpioClient({ baseUrl: config.baseUrl, apiKey, retry: { limit: 0 } });
  } catch {
    return undefined; // the run reports it where it always did
  }
  client.prepare(); // the HTTP stack loads next
  const snapshot = readSnapshot(config.lockfilePath, lockfileName);
  let closed = false;
  const started = snapshot.then(
    (basis) => (closed || !isForThisApi(basis, config) ? undefined : { basis, reads: readEarly(client, basis) }),
    () => undefined, // an unreadable lockfile is reported where the run reads it
  );
  const close = () => {
    closed = true;
    client.close();
  };
  return {
    snapshot,
    readsFor: async (current) => {
      const early = await started;
      return early && early.basis.text === current.text ? early.reads : undefined;
    },
    close,
  };
}

/**
 * Read in one go, so the early reads start as soon as the HTTP stack has loaded; read a step
 * per turn of the event loop, they waited for spec loading's turns.
 */
function readSnapshot(lockfilePath: string, lockfileName: string): Promise<LockfileSnapshot> {
  try {
    return Promise.resolve(readLockfileSnapshotNow(lockfilePath, lockfileName));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A lockfile of another API origin is refused later; nothing is read for it. */
function isForThisApi(basis: LockfileSnapshot, config: ProjectConfig): boolean {
  try {
    assertLockfileOrigin(basis.lockfile, apiOriginOf(config.baseUrl), '');
    return true;
  } catch {
    return false;
  }
}

function readEarly(client: PpioClient, basis: LockfileSnapshot): EarlyReads {
  const managedIds = Object.values(basis.lockfile.endpoints).map((entry) => entry.id);
  const reads: EarlyReads = {
    live: client.listEndpoints({ managedIds, expectedCount: managedIds.length }),
    limits: client.getLimits(),
    products: client.listServerlessProducts(),
  };
  // A failed early read is read again later; it is never an unhandled rejection.
  for (const read of Object.values(reads)) (read as Promise<unknown>).catch(() => undefined);
  return reads;
}
