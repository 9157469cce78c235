/**
 * SIGINT and SIGTERM in the middle of an apply, against an emulator slow enough to catch it
 * mid-flight: no new operation starts, the ones in flight finish and are recorded, the
 * lockfile is written (no journal left), and the exit code says which signal it was.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, JOURNAL, spawnCli, World, stopRunningWorlds } from './helpers.js';

afterEach(stopRunningWorlds);

const SPECS = 8;
const files = Object.fromEntries(Array.from({ length: SPECS }, (_, i) => [`endpoints/e${i}.yaml`, basicSpecYaml(`e${i}`)]));

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('apply receiving %s', (signal, exitCode) => {
  it(`finishes what is in flight, records it, writes the lockfile and exits ${exitCode}`, async () => {
    const world = await World.start({ files, emulator: { latencyMs: 300 } });
    const running = spawnCli(world, ['apply', '--auto-approve', '--concurrency', '2']);
    // The first create has finished: two more are in flight, five not started.
    await until(() => /\+ created e\d/.test(running.stdout));
    running.child.kill(signal);
    const { code } = await running.exited;

    expect({ code, stderr: running.stderr }).toEqual({ code: exitCode, stderr: expect.stringContaining(`${signal}: starting no new operations`) });
    expect(running.stderr).toMatch(
      new RegExp(
        `Interrupted by ${signal}: \\d of ${SPECS} operations finished \\(\\d created\\), \\d not started\\. The lockfile records everything that finished`,
      ),
    );
    expect(running.stdout).not.toContain('Apply complete');
    expect(world.exists(JOURNAL)).toBe(false);
    const live = await world.live();
    expect(live.length).toBeGreaterThan(0);
    expect(live.length).toBeLessThan(SPECS);
    // Every live endpoint is recorded, with its URL, and no intent is left for a create that never started.
    const lockfile = world.lockfile();
    expect(
      Object.values(lockfile.endpoints)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(live.map((endpoint) => endpoint.id).sort());
    expect(Object.values(lockfile.endpoints).every((entry) => entry.url !== '')).toBe(true);
    expect(lockfile.pending).toEqual([]);

    const rerun = await world.cli(['apply', '--auto-approve']);
    expect(rerun.code).toBe(0);
    const after = await world.live();
    expect(after.map((endpoint) => endpoint.name).sort()).toEqual(
      Object.keys(files)
        .map((file) => file.slice(10, -5))
        .sort(),
    );
    expect(Object.keys(world.lockfile().endpoints)).toHaveLength(SPECS);
  });
});
