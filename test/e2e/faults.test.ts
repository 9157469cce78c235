/**
 * 500s, 429s and creates whose response is cut off, all at once: applying again until it
 * succeeds converges on one endpoint per spec, every one recorded, none created twice.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, describeRun, expectExit, World, JOURNAL, LOCK_DIR, stopRunningWorlds, type CliResult } from './helpers.js';

const names = Array.from({ length: 6 }, (_, index) => `faulty-${index}`);
const specFiles = Object.fromEntries(names.map((name) => [`endpoints/${name}.yaml`, basicSpecYaml(name)]));
/**
 * A create answered with a 500 or 429 is not retried within a run (a create is never sent
 * blindly twice), so about a third of the creates fail per run; 8 runs make a spec that
 * never lands vanishingly unlikely (0.36^8 per spec) while a real regression still fails.
 */
const MAX_RUNS = 8;

let world: World | undefined;
afterEach(stopRunningWorlds);

describe('apply through injected faults', () => {
  it('converges within a few reruns with no duplicate endpoint and every spec recorded', async () => {
    world = await World.start({
      files: specFiles,
      emulator: { errorRate: 0.2, rateLimitRate: 0.2, dropRate: 0.3, retryAfterSeconds: 0, seed: 4242 },
    });

    const runs: CliResult[] = [];
    while (runs.length < MAX_RUNS) {
      const result = await world.cli(['apply', '--auto-approve'], {}, 60_000);
      runs.push(result);
      if (result.code === 0) break;
      // A failed run explains itself; it never crashes with a stack trace.
      expect(result.stdout + result.stderr).not.toContain('    at ');
    }
    const history = runs.map((run, index) => `run ${index + 1}: ${describeRun(run)}`).join('\n');
    expect({ converged: runs[runs.length - 1]!.code === 0, history }).toEqual({ converged: true, history });

    const faults = world.emulator.requestLog.filter((entry) => entry.fault !== undefined).map((entry) => entry.fault);
    expect(new Set(faults)).toEqual(new Set(['error', 'rate-limit', 'drop']));

    world.emulator.setFault({ errorRate: 0, rateLimitRate: 0, dropRate: 0 });
    const live = await world.live();
    expect(live.map((endpoint) => endpoint.appName).sort()).toEqual(names);
    const lockfile = world.lockfile();
    expect(lockfile.pending).toEqual([]);
    expect(Object.keys(lockfile.endpoints).sort()).toEqual(names);
    for (const endpoint of live) {
      expect(lockfile.endpoints[endpoint.appName]).toEqual(expect.objectContaining({ id: endpoint.id, url: endpoint.url }));
    }
    expect(world.exists(JOURNAL)).toBe(false);
    expect(world.exists(LOCK_DIR)).toBe(false);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  }, 90_000);
});
