/**
 * Failures that used to print "internal error" or a wrong reason, or to destroy a file:
 * each is now a clear message and exit 1, with nothing lost.
 */
import { chmodSync } from 'node:fs';
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, expectExit, LOCKFILE, JOURNAL, sleep, spawnCli, stopRunningWorlds, World } from './helpers.js';

afterEach(stopRunningWorlds);

/** Root ignores file modes: a read-only folder is then tested as `nobody`. */
const unprivileged = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

describe('a project folder turned read-only in the middle of an apply', () => {
  it('says the lockfile cannot be written and where the changes are kept; the next apply finishes', async () => {
    const names = ['ro-0', 'ro-1', 'ro-2', 'ro-3'];
    const world = await World.start({ files: Object.fromEntries(names.map((name) => [`endpoints/${name}.yaml`, basicSpecYaml(name)])) });
    chmodSync(world.dir, 0o777);
    for (const name of names) chmodSync(world.file(`endpoints/${name}.yaml`), 0o644);
    world.emulator.setFault({ latencyMs: 150 });
    try {
      const running = spawnCli(world, ['apply', '--auto-approve', '--concurrency', '1'], {}, unprivileged);
      while (!/^\+ created /m.test(running.stdout) && running.child.exitCode === null) await sleep(5);
      chmodSync(world.dir, 0o555);
      const { code } = await running.exited;

      expect({ code, stderr: running.stderr }).toEqual({ code: 1, stderr: expect.stringContaining(`Error: cannot write ${LOCKFILE}: `) });
      expect(running.stderr).toContain(`Every change is kept in ${JOURNAL}; the next run applies it.`);
      expect(running.stderr).not.toMatch(/internal error|This is a bug/);
    } finally {
      chmodSync(world.dir, 0o777);
      world.emulator.setFault({ latencyMs: 0 });
    }
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(Object.keys(world.recordedIds()).sort()).toEqual(names);
    expect(world.emulator.endpointCount()).toBe(names.length);
  });
});

describe('plan --out', () => {
  it('refuses to overwrite the lockfile, a spec or the config, and leaves them as they were', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'ppio.config.yaml': 'concurrency: 2\n' } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const before = world.lockfileText();

    for (const [out, what] of [
      [LOCKFILE, 'the lockfile'],
      ['./endpoints/../endpoints/a.yaml', 'a spec file'],
      ['ppio.config.yaml', 'the project config'],
    ]) {
      const result = expectExit(await world.cli(['plan', '--out', out!]), 1);
      expect(result.stderr).toContain(`--out ${out} is ${what}: the plan would overwrite it.`);
    }
    expect(world.lockfileText()).toBe(before);
    expect(world.read('endpoints/a.yaml')).toBe(basicSpecYaml('alpha'));
    expect(world.read('ppio.config.yaml')).toBe('concurrency: 2\n');
    expectExit(await world.cli(['plan', '--out', 'plan.json']), 0);
  });
});

describe('validate --config that is not a file', () => {
  it.each([
    ['/dev/null', 'a character device'],
    ['endpoints', 'a folder'],
  ])('%s: says it is %s, exit 1', async (config, kind) => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    const result = expectExit(await world.cli(['validate', '--config', config]), 1);
    expect(result.stdout).toMatch(
      new RegExp(`error  config-not-a-file  --config \\S+ is ${kind}, not a file: give the path of a YAML or JSON config file`),
    );
    expect(result.stdout).not.toContain('no such file');
  });
});
