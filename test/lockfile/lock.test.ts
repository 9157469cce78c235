import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockfileError } from '../../src/common/errors.js';
import { openLockfileSession, readLockfile } from '../../src/lockfile/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

let dir: string;
let lockfilePath: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-lock-'));
  lockfilePath = path.join(dir, 'ppio.lock.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function plantLock(owner: object | undefined, ageMs = 0): void {
  const lockDir = `${lockfilePath}.lock`;
  mkdirSync(lockDir);
  if (owner) writeFileSync(path.join(lockDir, 'owner.json'), JSON.stringify(owner));
  const when = new Date(Date.now() - ageMs);
  utimesSync(lockDir, when, when);
}

describe('the apply lock', () => {
  it('stays held across several refreshes of a long apply (writes keep working)', async () => {
    // staleMs 2000 refreshes the lock every second; hold it for three refreshes.
    const session = await openLockfileSession(lockfilePath, { lockTimeoutMs: 1000, staleMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 3200));
    await session.recordPending({ name: 'long-apply', source: 'endpoints/a.yaml' });
    await session.close();
    await expect(readLockfile(lockfilePath)).resolves.toMatchObject({ pending: [{ name: 'long-apply' }] });
  }, 10_000);

  it('makes a second session wait the bounded time, then fail naming the holder and how to clear it', async () => {
    const first = await openLockfileSession(lockfilePath);
    const started = Date.now();
    try {
      const second = openLockfileSession(lockfilePath, { lockTimeoutMs: 400, displayName: 'ppio.lock.json' });
      await expect(second).rejects.toThrow(LockfileError);
      await expect(second).rejects.toThrow(
        new RegExp(
          `another apply holds the lock on ppio\\.lock\\.json \\(pid ${process.pid} on ${os.hostname()}.*remove the folder ppio\\.lock\\.json\\.lock`,
        ),
      );
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(380);
      expect(waited).toBeLessThan(3000);
    } finally {
      await first.close();
    }
  });

  it('lets the waiting session in as soon as the holder closes', async () => {
    const first = await openLockfileSession(lockfilePath);
    const second = openLockfileSession(lockfilePath, { lockTimeoutMs: 5000 });
    setTimeout(() => void first.close(), 200);
    const session = await second;
    await session.close();
    expect(existsSync(`${lockfilePath}.lock`)).toBe(false);
  });

  it('takes over at once from a holder on this host whose process is dead', async () => {
    plantLock({ pid: deadPid(), hostname: os.hostname(), acquiredAt: new Date().toISOString() });
    const started = Date.now();
    const session = await openLockfileSession(lockfilePath, { lockTimeoutMs: 5000, staleMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(4000); // well before the 5 s lock timeout or the 10 s stale time
    await session.close();
  });

  it('does not take over from a live holder on another host before the lock goes stale', async () => {
    plantLock({ pid: deadPid(), hostname: `not-${os.hostname()}`, acquiredAt: '2025-01-01T00:00:00.000Z' });
    await expect(openLockfileSession(lockfilePath, { lockTimeoutMs: 300, staleMs: 10_000 })).rejects.toThrow(/pid \d+ on not-/);
  });

  it('takes over a lock whose folder has not been refreshed within the stale time', async () => {
    plantLock(undefined, 60_000);
    const session = await openLockfileSession(lockfilePath, { lockTimeoutMs: 1000, staleMs: 2000 });
    await session.recordPending({ name: 'after-takeover', source: 'endpoints/a.yaml' });
    await session.close();
    expect(existsSync(`${lockfilePath}.lock`)).toBe(false);
    await expect(readLockfile(lockfilePath)).resolves.toMatchObject({ pending: [{ name: 'after-takeover' }] });
  });

  it('is released when the holding process is terminated, and its recorded work survives', async () => {
    const child = spawn(process.execPath, [path.join(fixtures, 'hold-lock.mjs'), lockfilePath], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      child.on('exit', () => reject(new Error('the lock holder exited early')));
    });
    expect(existsSync(`${lockfilePath}.lock`)).toBe(true);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(existsSync(`${lockfilePath}.lock`)).toBe(false);
    expect(Object.keys((await readLockfile(lockfilePath)).endpoints)).toEqual(['held']);
  });
});
