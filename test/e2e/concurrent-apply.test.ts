/**
 * Two applies started at once on the same project (two CI jobs, or a person and a job):
 * the lockfile's exclusive lock serialises them, so nothing is created twice and the
 * lockfile stays whole. The second one either waits its turn or fails with the lock message.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, describeRun, expectExit, spawnCli, World, JOURNAL, LOCK_DIR, stopRunningWorlds, type RunningCli } from './helpers.js';

const names = Array.from({ length: 8 }, (_, index) => `twin-${index}`);
const specFiles = Object.fromEntries(names.map((name) => [`endpoints/${name}.yaml`, basicSpecYaml(name)]));
const APPLY_COMPLETE = /^Apply complete: \d+ created, 0 updated, 0 replaced, 0 deleted, \d+ adopted\.$/m;
const LOCK_MESSAGE = /another apply holds the lock on ppio\.lock\.json \(pid \d+ on .+\); gave up after waiting \d+(\.\d)?s/;

let world: World | undefined;
afterEach(stopRunningWorlds);

async function finish(run: RunningCli): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code } = await run.exited;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

describe('two applies at once on the same project', () => {
  it('both finish cleanly, the lockfile parses, and every spec has exactly one endpoint', async () => {
    world = await World.start({ files: specFiles, emulator: { latencyMs: 20, seed: 5 } });

    const [first, second] = await Promise.all([
      finish(spawnCli(world, ['apply', '--auto-approve', '--concurrency', '2'])),
      finish(spawnCli(world, ['apply', '--auto-approve', '--concurrency', '2'])),
    ]);

    const both = `first: ${describeRun({ ...first, code: first.code ?? -1 })}\nsecond: ${describeRun({ ...second, code: second.code ?? -1 })}`;
    for (const run of [first, second]) {
      if (run.code === 0) {
        // It either did the work or, having waited for the lock, found nothing left to do.
        expect(APPLY_COMPLETE.test(run.stdout) || run.stdout.includes('No changes.')).toBe(true);
      } else {
        expect({ code: run.code, lockMessage: LOCK_MESSAGE.test(run.stderr), both }).toEqual({ code: 1, lockMessage: true, both });
      }
    }
    expect([first.code, second.code]).toContain(0);

    const lockfile = world.lockfile();
    expect(lockfile.pending).toEqual([]);
    const live = await world.live();
    expect(live.map((endpoint) => endpoint.appName).sort()).toEqual(names);
    expect(Object.fromEntries(Object.entries(lockfile.endpoints).map(([name, entry]) => [name, entry.id]))).toEqual(
      Object.fromEntries(live.map((endpoint) => [endpoint.appName, endpoint.id])),
    );
    expect(world.createRequests()).toBe(names.length);
    expect(world.exists(JOURNAL)).toBe(false);
    expect(world.exists(LOCK_DIR)).toBe(false);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  }, 60_000);
});
