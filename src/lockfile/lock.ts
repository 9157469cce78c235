import fs from 'node:fs';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LockfileError } from '../common/errors.js';
import properLockfile from 'proper-lockfile';

export interface LockOptions {
  /** How long to wait for another apply to finish before giving up. */
  timeoutMs: number;
  /** A lock not refreshed for this long is abandoned (proper-lockfile's mtime check; at least 2 s). */
  staleMs: number;
  /** How the lockfile is named in messages. */
  displayName: string;
}

export interface HeldLock {
  /** Set when the lock was lost while held (its folder removed or not refreshed in time). */
  lostReason(): string | undefined;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  hostname: string;
  acquiredAt: string;
}

const OWNER_FILE = 'owner.json';
const RETRY_DELAY_MS = 100;

/**
 * proper-lockfile removes a lock folder with rmdir, which fails once it holds our owner
 * file; this fs removes the folder with its content, at release, on exit and when stale.
 */
const lockFs = {
  ...fs,
  rmdir: (target: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.rm(target, { recursive: true, force: true }, callback),
  rmdirSync: (target: string) => fs.rmSync(target, { recursive: true, force: true }),
};

/**
 * Takes the exclusive lock for `target` (the folder `<target>.lock`, created by mkdir).
 * The holder's pid and host are written inside it, so a waiting run can name the holder
 * and, on the same host, take over at once from a holder that died (kill -9 leaves the
 * folder behind); a holder on another host is recovered by proper-lockfile's mtime check.
 * proper-lockfile also removes the folder when the process exits, SIGINT/SIGTERM included.
 */
export async function acquireLock(target: string, options: LockOptions): Promise<HeldLock> {
  const lockPath = `${path.resolve(target)}.lock`;
  const deadline = Date.now() + options.timeoutMs;
  let lost: string | undefined;
  for (;;) {
    try {
      const release = await properLockfile.lock(target, {
        lockfilePath: lockPath,
        realpath: false,
        stale: options.staleMs,
        update: Math.max(1000, Math.floor(options.staleMs / 4)),
        retries: 0,
        fs: lockFs,
        onCompromised: (error: Error) => void (lost = error.message),
      });
      await writeOwner(lockPath);
      return { lostReason: () => lost, release: () => releaseOnce(release) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new LockfileError(`cannot lock ${options.displayName}: ${(error as Error).message}`);
      }
      const owner = await readOwner(lockPath);
      if (owner && isDeadOnThisHost(owner)) {
        await removeAbandonedLock(lockPath, owner);
        continue;
      }
      if (Date.now() >= deadline) throw lockHeldError(options, owner);
      await delay(Math.min(RETRY_DELAY_MS, Math.max(0, deadline - Date.now())));
    }
  }
}

async function releaseOnce(release: () => Promise<void>): Promise<void> {
  try {
    await release();
  } catch (error) {
    // Already released (e.g. compromised and removed): nothing left to undo.
    if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
  }
}

/**
 * proper-lockfile refreshes the folder's mtime and treats any mtime it did not set itself
 * as a sign that another process took the lock. Creating the owner file changes the
 * folder's mtime, so the mtime proper-lockfile just set is put back afterwards (its first
 * refresh is at least a second away).
 */
async function writeOwner(lockPath: string): Promise<void> {
  const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), acquiredAt: new Date().toISOString() };
  const before = await stat(lockPath);
  await writeFile(path.join(lockPath, OWNER_FILE), JSON.stringify(owner));
  await utimes(lockPath, before.atime, before.mtime);
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const value = JSON.parse(await readFile(path.join(lockPath, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.hostname !== 'string') return undefined;
    return { pid: value.pid, hostname: value.hostname, acquiredAt: String(value.acquiredAt ?? '') };
  } catch {
    // Not written yet (the holder is between mkdir and writing it) or already removed.
    return undefined;
  }
}

function isDeadOnThisHost(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes a dead holder's lock, after checking it is still that holder's (not a newer run's). */
async function removeAbandonedLock(lockPath: string, owner: LockOwner): Promise<void> {
  const again = await readOwner(lockPath);
  if (again?.pid !== owner.pid || again.acquiredAt !== owner.acquiredAt) return;
  await rm(lockPath, { recursive: true, force: true });
}

function lockHeldError(options: LockOptions, owner: LockOwner | undefined): LockfileError {
  const holder = owner ? ` (pid ${owner.pid} on ${owner.hostname}, since ${owner.acquiredAt})` : '';
  const seconds = (options.timeoutMs / 1000).toFixed(1).replace(/\.0$/, '');
  return new LockfileError(
    `another apply holds the lock on ${options.displayName}${holder}; gave up after waiting ${seconds}s. ` +
      `If no apply is running, the lock is stale: remove the folder ${options.displayName}.lock and run again.`,
  );
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
