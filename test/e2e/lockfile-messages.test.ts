/** Lockfile problems are named the way the user sees the file: relative to where they stand. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { basicSpecYaml, expectExit, LOCKFILE, World, stopRunningWorlds } from './helpers.js';

let world: World | undefined;
afterEach(stopRunningWorlds);

describe('a lockfile written by a newer ppio-deploy', () => {
  it('is refused by plan and apply with its relative name, and left as it was', async () => {
    world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    const newer = '{\n  "endpoints": {},\n  "lockfileVersion": 9,\n  "pending": []\n}\n';
    writeFileSync(world.file(LOCKFILE), newer);
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const result = expectExit(await world.cli(command), 1);
      expect(result.stderr).toMatch(/^Error: ppio\.lock\.json /m);
      expect(result.stderr).not.toContain(world.dir);
    }
    expect(world.lockfileText()).toBe(newer);
    expect(world.emulator.endpointCount()).toBe(0);
  });
});
