/**
 * plan and apply begin reading the live state (list, limits, catalogue) once the config is
 * known, while the specs are read. What that may and may not change: nothing a spec says is
 * sent before the specs are valid, invalid specs still end the run at once, and an apply that
 * waited for the lock plans against what the other apply left, not against the early read.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Socket } from 'node:net';
import path from 'node:path';
import { openLockfileSession } from '../../src/lockfile/index.js';
import { sampleConfig } from '../helpers/sample-config.js';
import { apiEndpoint, basicSpecYaml, LOCKFILE, spawnCli, stopRunningWorlds, World } from './helpers.js';

afterEach(stopRunningWorlds);

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Enough specs that reading them outlasts starting the early reads; the last one is invalid. */
function specsWithOneBroken(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) files[`endpoints/e${String(index).padStart(3, '0')}.yaml`] = basicSpecYaml(`e${index}`);
  files['endpoints/zz-broken.yaml'] = basicSpecYaml('zz-broken').replace('maxNum: 4', 'maxNum: many');
  return files;
}

describe('invalid specs', () => {
  it.each([['plan'], ['apply', '--auto-approve']])(
    '%s exits 1 at once even when the API it began reading never answers',
    async (...args) => {
      // Accepts connections and never answers: a request to it ends only by its timeout (30 s).
      const held = new Set<Socket>();
      const blackHole = createServer((socket) => held.add(socket));
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const address = blackHole.address() as { port: number };
      const world = await World.start({ files: specsWithOneBroken(150), env: { PPIO_BASE_URL: `http://127.0.0.1:${address.port}` } });
      try {
        const result = await world.cli(args, {}, 20_000);
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('zz-broken.yaml') });
        // The early reads were under way when the specs turned out invalid.
        expect(held.size).toBeGreaterThan(0);
      } finally {
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => blackHole.close(resolve));
      }
    },
    40_000,
  );

  it('send nothing a spec says: only the list, the limits and the catalogue are read', async () => {
    const files = specsWithOneBroken(150);
    files['endpoints/e000.yaml'] = `${basicSpecYaml('e0')}\n`.replace(
      '  image: ghcr.io/acme/sdxl:1.4.2',
      '  image: ghcr.io/acme/sdxl:1.4.2\n  authId: "7"',
    );
    const world = await World.start({ files });
    const result = await world.cli(['apply', '--auto-approve']);
    expect(result.code).toBe(1);
    const paths = world.emulator.requestLog.map((entry) => `${entry.method} ${entry.path.replace(/\?.*/, '')}`);
    expect(paths.filter((entry) => !['GET /endpoints', 'GET /endpoint/limit', 'GET /gpus/v2/products'].includes(entry))).toEqual([]);
  });
});

describe('an apply that waited for the lock', () => {
  it('plans against the live state after the other apply, not the one it read while waiting', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('a'), 'endpoints/b.yaml': basicSpecYaml('b') } });
    // Another apply holds the lock ...
    const other = await openLockfileSession(path.join(world.dir, LOCKFILE));
    const running = spawnCli(world, ['apply', '--auto-approve']);
    // ... while this one reads the live state early (no endpoints yet) ...
    await until(() => world.emulator.requestLog.some((entry) => entry.path.startsWith('/endpoints?')));
    // ... then the other one creates "a", records it and lets go.
    const id = await world.handCreate(apiEndpoint('a'));
    const [made] = (await world.live()).filter((endpoint) => endpoint.id === id);
    await other.recordEndpoint('a', { id, url: made?.url ?? '', source: 'endpoints/a.yaml', applied: sampleConfig('a', { envs: [] }) });
    await other.close();

    const { code } = await running.exited;

    expect({ code, stderr: running.stderr }).toEqual({ code: 0, stderr: '' });
    expect(world.lockfile().endpoints['a']?.id).toBe(id);
    expect((await world.live()).map((endpoint) => endpoint.appName).sort()).toEqual(['a', 'b']);
  }, 30_000);
});
