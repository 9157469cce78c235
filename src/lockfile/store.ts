/**
 * The lockfile store: the only code that writes ppio.lock.json.
 *
 * The lockfile must hold every completed operation, even after a crash, but rewriting it
 * after each operation makes a 1,000-endpoint apply write O(N²) bytes. So the store
 * keeps a write-ahead journal instead: each mutation is appended as one JSON line to
 * `<lockfile>.journal` and fsynced before its call resolves (concurrent calls share one
 * write + fsync), and the lockfile itself is rewritten atomically (temp file + fsync +
 * rename, never truncated in place) whenever the journal has grown past the lockfile's size
 * (amortised linear) and always on close, which then removes the journal. Readers replay a
 * leftover journal (from a killed apply) onto the lockfile in memory; the next session
 * compacts it. At every instant the lockfile on disk parses, and lockfile + journal hold
 * every completed operation.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, rm, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { readRegularFile, readRegularFileSync } from '../common/files.js';
import path from 'node:path';
import { LockfileError } from '../common/errors.js';
import { cloneJson } from '../common/record.js';
import { writeFileAtomic, syncFolder } from './atomic-write.js';
import { applyJournalOp, encodeJournalOp, hasPendingIntent, replayJournal, type JournalOp } from './journal.js';
import { acquireLock, type HeldLock } from './lock.js';
import { parseLockfileText, serializeLockfile, type RenderedEntries } from './serialize.js';
import { emptyLockfile, type LockEntry, type Lockfile, type PendingCreate } from './types.js';

export interface LockfileSessionOptions {
  /** How long to wait for another apply's lock (default 20 s). */
  lockTimeoutMs?: number;
  /** A lock not refreshed for this long is abandoned (default 10 s; proper-lockfile's floor is 2 s). */
  staleMs?: number;
  /** How the lockfile is named in messages (default: the path as given). */
  displayName?: string;
  /**
   * Crash tests only: called after a compaction wrote the lockfile and before it empties the
   * journal, the one instant where both files hold the same records.
   */
  beforeJournalTruncate?: () => void;
}

/** Bytes the session wrote, for tests and benchmarks of the write cost. */
export interface LockfileWriteStats {
  journalBytes: number;
  /** Write + fsync rounds on the journal; concurrent records share one. */
  journalAppends: number;
  lockfileBytes: number;
  compactions: number;
}

/** The lockfile as one run reads it, once, and passes along. */
export interface LockfileSnapshot {
  /** Every recorded change included (a leftover journal replayed). */
  lockfile: Lockfile;
  /** The file's text as read ('' when there is none): what a saved plan's digest covers. */
  text: string;
  /** How the file was read that the user should know (e.g. merged conflict markers). */
  notice?: string;
}

/** An exclusive, durable handle on a lockfile for the length of one apply or import. */
export interface LockfileSession {
  /** The lockfile as this session loaded it under the lock. */
  snapshot(): LockfileSnapshot;
  /**
   * Binds the lockfile to the API origin this run talks to. Called once the run has checked
   * the lockfile and goes ahead: from then on close() writes the file in the current version,
   * for this origin, even when nothing else changed (a version 1 file, merged conflicts).
   */
  bindOrigin(origin: string): void;
  /** A copy of the lockfile as it stands, every recorded change included (O(size): not per operation). */
  current(): Lockfile;
  /** The recorded entry for a spec name, without copying the lockfile. */
  entry(name: string): Readonly<LockEntry> | undefined;
  /** The spec name an endpoint id is recorded under, if any. */
  nameOf(id: string): string | undefined;
  hasPending(name: string): boolean;
  /** Records a create's intent; durable when the promise resolves (only then may the create be sent). */
  recordPending(pending: PendingCreate): Promise<void>;
  /** Records an endpoint (and clears its pending intent). */
  recordEndpoint(name: string, entry: LockEntry): Promise<void>;
  /** Fills in the URL of an endpoint recorded without one, if `name` still records `id`: a small record, not the whole entry again. */
  recordUrl(name: string, id: string, url: string): Promise<void>;
  removeEndpoint(name: string): Promise<void>;
  clearPending(name: string): Promise<void>;
  /** Writes the final lockfile, removes the journal and releases the lock. Idempotent. */
  close(): Promise<void>;
  writeStats(): LockfileWriteStats;
}

const DEFAULT_LOCK_TIMEOUT_MS = 20_000;
const DEFAULT_STALE_MS = 10_000;

export const journalPathFor = (lockfilePath: string): string => `${lockfilePath}.journal`;

/** Reads a lockfile (and any journal a killed apply left) without locking or writing. Missing → empty. */
export async function readLockfile(lockfilePath: string, displayName = lockfilePath): Promise<Lockfile> {
  return (await loadLockfile(lockfilePath, displayName)).lockfile;
}

/** Like readLockfile, with the text and any notice: read once per run and passed along. */
export async function readLockfileSnapshot(lockfilePath: string, displayName = lockfilePath): Promise<LockfileSnapshot> {
  return snapshotOf(await loadLockfile(lockfilePath, displayName));
}

/**
 * readLockfileSnapshot in one go, without waiting for the event loop. The head start reads the
 * lockfile while the specs are parsed, which leaves the event loop a turn only every few
 * milliseconds: each of the asynchronous read's steps (stat, open, read, close, the journal)
 * waited for one, and the early requests for all of them (~20–40 ms).
 */
export function readLockfileSnapshotNow(lockfilePath: string, displayName = lockfilePath): LockfileSnapshot {
  for (let read = 1; ; read += 1) {
    const before = identityNow(lockfilePath);
    const text = readNowIfExists(lockfilePath, displayName);
    const journalText = readNowIfExists(journalPathFor(lockfilePath), journalPathFor(displayName));
    // Replaced while it was read: read again, as loadLockfile does.
    if (read < MAX_READS && identityNow(lockfilePath) !== before) continue;
    return snapshotOf(loadedFrom(text, journalText, displayName));
  }
}

function snapshotOf({ lockfile, text, notice }: LoadedLockfile): LockfileSnapshot {
  return notice === undefined ? { lockfile, text } : { lockfile, text, notice };
}

export async function openLockfileSession(lockfilePath: string, options: LockfileSessionOptions = {}): Promise<LockfileSession> {
  const displayName = options.displayName ?? lockfilePath;
  const lock = await acquireLock(lockfilePath, {
    timeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    staleMs: options.staleMs ?? DEFAULT_STALE_MS,
    displayName,
  });
  try {
    const loaded = await loadLockfile(lockfilePath, displayName);
    const session = new JournaledSession(lockfilePath, displayName, lock, loaded, options.beforeJournalTruncate);
    if (loaded.journalFound) await session.compactLeftoverJournal();
    return session;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

interface LoadedLockfile {
  lockfile: Lockfile;
  text: string;
  /** The file is not as this version writes it (version 1, merged conflict markers). */
  outdated: boolean;
  notice?: string;
  journalFound: boolean;
}

/** Reads of a lockfile that a running session keeps replacing; after this many, the last one stands. */
const MAX_READS = 5;

async function loadLockfile(lockfilePath: string, displayName: string): Promise<LoadedLockfile> {
  for (let read = 1; ; read += 1) {
    const before = await identityOf(lockfilePath);
    const text = await readIfExists(lockfilePath, displayName);
    const journalText = await readIfExists(journalPathFor(lockfilePath), journalPathFor(displayName));
    // A session compacting meanwhile (an apply running) replaces the lockfile, then empties the
    // journal: the old lockfile with the emptied journal would lack what moved from one to the
    // other. A lockfile replaced while it was read is read again, with its journal.
    if (read < MAX_READS && (await identityOf(lockfilePath)) !== before) continue;
    return loadedFrom(text, journalText, displayName);
  }
}

/** The lockfile a text and its journal's text (either may be missing) hold. */
function loadedFrom(text: string | undefined, journalText: string | undefined, displayName: string): LoadedLockfile {
  const parsed = text === undefined ? { lockfile: emptyLockfile(), outdated: false } : parseLockfileText(text, displayName);
  if (journalText !== undefined) replayJournal(parsed.lockfile, journalText, journalPathFor(displayName));
  return { ...parsed, text: text ?? '', journalFound: journalText !== undefined };
}

/** Which file the path names now: an atomic rewrite gives a new inode. */
async function identityOf(file: string): Promise<string> {
  return stat(file).then(identityText, () => MISSING);
}

function identityNow(file: string): string {
  try {
    return identityText(statSync(file));
  } catch {
    return MISSING;
  }
}

const identityText = (info: { ino: number; mtimeMs: number; size: number }): string => `${info.ino}:${info.mtimeMs}:${info.size}`;
/** Missing or unreadable: reading it reports what it finds. */
const MISSING = 'none';

async function readIfExists(file: string, displayName: string): Promise<string | undefined> {
  try {
    return (await readRegularFile(file)).toString('utf8');
  } catch (error) {
    return absentOrThrow(error, displayName);
  }
}

function readNowIfExists(file: string, displayName: string): string | undefined {
  try {
    return readRegularFileSync(file).toString('utf8');
  } catch (error) {
    return absentOrThrow(error, displayName);
  }
}

function absentOrThrow(error: unknown, displayName: string): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw new LockfileError(`cannot read ${displayName}: ${(error as Error).message}`);
}

interface QueuedLine {
  text: string;
  resolve(): void;
  reject(error: Error): void;
}

class JournaledSession implements LockfileSession {
  private readonly journalPath: string;
  private readonly queue: QueuedLine[] = [];
  private draining: Promise<void> | undefined;
  private journal: FileHandle | undefined;
  private journalSize = 0;
  private mutations = 0;
  private persistedMutations = 0;
  private closing: Promise<void> | undefined;
  private readonly stats: LockfileWriteStats = { journalBytes: 0, journalAppends: 0, lockfileBytes: 0, compactions: 0 };

  /**
   * Changed only by applyJournalOp, with ops this session built from fresh objects: entries
   * are replaced, never changed in place, so `rendered` stays true across compactions.
   */
  private readonly state: Lockfile;
  private readonly rendered: RenderedEntries = new WeakMap();
  private loaded: LockfileSnapshot;
  private outdated: boolean;
  private lockfileSize: number;

  constructor(
    private readonly lockfilePath: string,
    private readonly displayName: string,
    private readonly lock: HeldLock,
    loaded: LoadedLockfile,
    private readonly beforeJournalTruncate?: () => void,
  ) {
    this.journalPath = journalPathFor(lockfilePath);
    this.state = loaded.lockfile;
    this.outdated = loaded.outdated;
    this.lockfileSize = Buffer.byteLength(loaded.text);
    this.loaded = { lockfile: loaded.lockfile, text: loaded.text, ...(loaded.notice === undefined ? {} : { notice: loaded.notice }) };
  }

  snapshot(): LockfileSnapshot {
    return { ...this.loaded, lockfile: this.current() };
  }

  bindOrigin(origin: string): void {
    if (this.state.api === origin && !this.outdated) return;
    this.state.api = origin;
    this.outdated = false;
    this.mutations += 1;
  }

  current(): Lockfile {
    return structuredClone(this.state);
  }

  entry(name: string): Readonly<LockEntry> | undefined {
    return Object.hasOwn(this.state.endpoints, name) ? this.state.endpoints[name] : undefined;
  }

  nameOf(id: string): string | undefined {
    return Object.keys(this.state.endpoints).find((name) => this.state.endpoints[name]?.id === id);
  }

  hasPending(name: string): boolean {
    return hasPendingIntent(this.state, name);
  }

  recordPending(pending: PendingCreate): Promise<void> {
    const { name, appName, source } = pending;
    return this.mutate({ op: 'pending', pending: appName === undefined ? { name, source } : { name, appName, source } });
  }

  recordEndpoint(name: string, entry: LockEntry): Promise<void> {
    // The caller keeps its config object; the lockfile holds its own copy.
    const applied = cloneJson(entry.applied);
    return this.mutate({ op: 'endpoint', name, entry: { id: entry.id, url: entry.url, source: entry.source, applied } });
  }

  recordUrl(name: string, id: string, url: string): Promise<void> {
    return this.mutate({ op: 'url', name, id, url });
  }

  removeEndpoint(name: string): Promise<void> {
    return this.mutate({ op: 'remove', name });
  }

  clearPending(name: string): Promise<void> {
    return this.mutate({ op: 'clear-pending', name });
  }

  writeStats(): LockfileWriteStats {
    return { ...this.stats };
  }

  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /** A killed apply's journal is folded into the lockfile before this session appends to a new one. */
  async compactLeftoverJournal(): Promise<void> {
    await this.compact();
    await this.removeJournal();
    this.loaded = { ...this.loaded, text: serializeLockfile(this.state) };
  }

  private mutate(op: JournalOp): Promise<void> {
    if (this.closing) return Promise.reject(new LockfileError(`${this.displayName}: the lockfile session is closed`));
    const lost = this.lock.lostReason();
    if (lost !== undefined) {
      return Promise.reject(new LockfileError(`lost the lock on ${this.displayName} (${lost}); another process may be writing it`));
    }
    // The op is this session's own (see recordEndpoint): no copy needed.
    applyJournalOp(this.state, op);
    this.mutations += 1;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text: encodeJournalOp(op), resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Group commit: everything queued while a write + fsync runs goes out in the next one. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        try {
          await this.appendDurably(batch.map((line) => line.text).join(''));
          for (const line of batch) line.resolve();
        } catch (error) {
          const failure = new LockfileError(`cannot write ${journalPathFor(this.displayName)}: ${(error as Error).message}`);
          for (const line of batch) line.reject(failure);
        }
        // Only with nothing queued: queued operations are already in `state` but not yet in
        // the journal, and a crash after writing them into the lockfile would replay the
        // journal's older operations over them (e.g. bring back a cleared create intent).
        if (this.queue.length === 0 && this.journalSize > this.lockfileSize) await this.compactQuietly();
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async appendDurably(text: string): Promise<void> {
    if (!this.journal) {
      this.journal = await open(this.journalPath, 'a');
      await syncFolder(path.dirname(this.journalPath));
    }
    const bytes = Buffer.byteLength(text);
    await this.journal.write(text);
    await this.journal.sync();
    this.journalSize += bytes;
    this.stats.journalBytes += bytes;
    this.stats.journalAppends += 1;
  }

  /** A failed compaction loses nothing (the journal is durable); close() retries and reports it. */
  private async compactQuietly(): Promise<void> {
    try {
      await this.compact();
    } catch {
      // Retried by close().
    }
  }

  private async compact(): Promise<void> {
    const snapshotMutations = this.mutations;
    const content = serializeLockfile(this.state, this.rendered);
    await writeFileAtomic(this.lockfilePath, content);
    this.persistedMutations = snapshotMutations;
    this.lockfileSize = Buffer.byteLength(content);
    this.stats.lockfileBytes += this.lockfileSize;
    this.stats.compactions += 1;
    this.beforeJournalTruncate?.();
    if (this.journal) {
      await this.journal.truncate(0);
      await this.journal.sync();
    }
    this.journalSize = 0;
  }

  private async finish(): Promise<void> {
    let failure: unknown;
    try {
      while (this.draining) await this.draining;
      if (this.mutations !== this.persistedMutations || this.journalSize > 0) {
        try {
          await this.compact();
        } catch (error) {
          throw new LockfileError(
            `cannot write ${this.displayName}: ${(error as Error).message}. Every change is kept in ${journalPathFor(this.displayName)}; the next run applies it.`,
          );
        }
      }
      await this.removeJournal();
    } catch (error) {
      failure = error;
    }
    // A lock that cannot be removed (e.g. the folder turned read-only) must not hide why the
    // lockfile could not be written: that message says where the changes are.
    try {
      await this.lock.release();
    } catch (error) {
      failure ??= new LockfileError(
        `cannot remove the lock ${this.displayName}.lock: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Every change is recorded; the next run on this machine takes the lock over.`,
      );
    }
    if (failure !== undefined) throw failure;
  }

  private async removeJournal(): Promise<void> {
    await this.journal?.close();
    this.journal = undefined;
    await rm(this.journalPath, { force: true });
    await syncFolder(path.dirname(this.journalPath));
  }
}
