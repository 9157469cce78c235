import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { parseLockfile, readLockfile } from '../../src/lockfile/index.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { fastClient } from './helpers.js';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/apply-creates.mjs');
const SPECS = 12;

let emulator: EmulatorHandle;
let dir: string;
beforeAll(async () => {
  // Some creates lose their response too, so kills land in reconciliation as well.
  emulator = await startEmulator({ latencyMs: 15, readyAfterMs: 0, dropRate: 0.2, seed: 11 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-kill-'));
});
afterAll(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

interface KillPoint {
  /** Progress events (started, finished, reconciled…) to let through first. */
  afterEvents: number;
  /** Then this much more time: lands inside a request, an fsync or a compaction. */
  delayMs: number;
}

/** Runs the apply script; with `kill`, SIGKILLs it at that point. */
function runApply(lockfilePath: string, kill?: KillPoint): Promise<Run> {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  const child = spawn(process.execPath, [script, emulator.url, lockfilePath, String(SPECS)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let armed = kill !== undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const events = stdout.split('\n').filter((line) => line.startsWith('event ')).length;
    if (armed && kill && stdout.startsWith('locked\n') && events >= kill.afterEvents) {
      armed = false;
      setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      if (code !== null && code !== 0) process.stderr.write(`apply script failed (${code}):\n${stdout}\n${stderr}\n`);
      resolve({ code, signal, stdout });
    }),
  );
}

describe('killing apply at any moment', () => {
  it('leaves a parseable lockfile, and rerunning ends with exactly one endpoint per spec', async () => {
    const lockfilePath = path.join(dir, 'ppio.lock.json');
    // Random points, each rerun making some progress first. A failure names the seed;
    // PPIO_TEST_SEED=<seed> replays the same schedule.
    const { seed, random } = seededRandom();
    const killPoints = Array.from({ length: 6 }, (): KillPoint => ({ afterEvents: Math.floor(random() * 8), delayMs: Math.floor(random() * 40) }));
    for (const point of killPoints) {
      const run = await runApply(lockfilePath, point);
      expect([run.signal === 'SIGKILL' || run.code === 0, point, seed]).toEqual([true, point, seed]);
      if (existsSync(lockfilePath)) parseLockfile(readFileSync(lockfilePath, 'utf8'), 'ppio.lock.json');
      await readLockfile(lockfilePath);
    }

    const final = await runApply(lockfilePath);
    expect(final.code).toBe(0);

    const api = fastClient(emulator.url);
    const live = await api.listEndpoints();
    api.close();
    const appNames = live.map((endpoint) => endpoint.config.appName).sort();
    const expected = Array.from({ length: SPECS }, (_, index) => `kill-${index}`).sort();
    expect({ seed, killPoints, appNames }).toEqual({ seed, killPoints, appNames: expected });
    const lockfile = parseLockfile(readFileSync(lockfilePath, 'utf8'), 'ppio.lock.json');
    expect({ seed, killPoints, pending: lockfile.pending }).toEqual({ seed, killPoints, pending: [] });
    expect(Object.keys(lockfile.endpoints).sort()).toEqual(expected);
    expect(
      Object.values(lockfile.endpoints)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(live.map((endpoint) => endpoint.id).sort());
    expect(existsSync(`${lockfilePath}.journal`)).toBe(false);
    expect(existsSync(`${lockfilePath}.lock`)).toBe(false);
  }, 60_000);
});
