/**
 * The lockfile is bound to the API it records: a version 1 file is upgraded by the next apply,
 * another origin's lockfile is refused, a lockfile whose endpoints mostly vanished (a wrong key
 * or account) is refused, and a git merge conflict in it is merged when that is safe.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startEmulator } from '../../src/emulator/index.js';
import { basicSpecYaml, expectExit, LOCKFILE, World, stopRunningWorlds } from './helpers.js';

afterEach(stopRunningWorlds);

describe('lockfile version 1', () => {
  it('is planned as it is, and rewritten as version 2 with its api by the next apply', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const v2 = world.lockfile();
    expect(v2.lockfileVersion).toBe(2);
    expect((v2 as { api?: string }).api).toBe(world.emulator.url);

    const { api: _, ...rest } = v2 as { api?: string; lockfileVersion: number };
    const v1 = `${JSON.stringify({ ...rest, lockfileVersion: 1 }, null, 2)}\n`;
    writeFileSync(world.file(LOCKFILE), v1);
    const plan = expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    expect(plan.stdout).toContain('No changes');
    expect(world.lockfileText()).toBe(v1);

    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(world.lockfile()).toEqual(v2);
  });
});

describe('a lockfile of another API origin', () => {
  it('is refused by plan and apply, naming both origins and the way forward, and nothing changes', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const recorded = world.lockfileText();
    const other = await startEmulator({ readyAfterMs: 20 });
    try {
      for (const command of [['plan'], ['apply', '--auto-approve']]) {
        const result = expectExit(await world.cli(command, { PPIO_BASE_URL: other.url }), 1);
        expect(result.stderr).toContain(
          `ppio.lock.json records endpoints of ${world.emulator.url}, but this run talks to ${other.url}; nothing was planned.`,
        );
        expect(result.stderr).toMatch(/one lockfile per API and account .*start a fresh lockfile/s);
      }
      expect(other.endpointCount()).toBe(0);
      expect(world.lockfileText()).toBe(recorded);
    } finally {
      await other.stop();
    }
  });
});

describe('most recorded endpoints missing live', () => {
  it('refuses plan and apply (a wrong key or account), and --allow-missing plans them again', async () => {
    const world = await World.start({
      files: { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'endpoints/b.yaml': basicSpecYaml('beta'), 'endpoints/c.yaml': basicSpecYaml('gamma') },
    });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const ids = world.recordedIds();
    await world.handDelete(ids['alpha']!);
    // One of three missing is a hand delete: planned as usual.
    expect(expectExit(await world.cli(['plan']), 0).stdout).toMatch(/1 to create/);

    await world.handDelete(ids['beta']!);
    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const result = expectExit(await world.cli(command), 1);
      expect(result.stderr).toContain(
        `2 of the 3 endpoints ppio.lock.json records are missing on ${world.emulator.url} ("alpha", "beta"); nothing was planned.`,
      );
      expect(result.stderr).toContain('--allow-missing');
    }
    expect(world.emulator.endpointCount()).toBe(1);

    expect(expectExit(await world.cli(['plan', '--allow-missing']), 0).stdout).toMatch(/2 to create/);
    expectExit(await world.cli(['apply', '--auto-approve', '--allow-missing']), 0);
    expect(world.emulator.endpointCount()).toBe(3);
  });
});

describe('a git merge conflict in the lockfile', () => {
  const git = (dir: string, ...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });
  /** main and a branch each apply one new spec on top of a shared one, then main merges the branch. */
  async function conflictedMerge(world: World, branchAppName: string): Promise<{ merge: string; ids: Record<string, string> }> {
    git(world.dir, 'init', '-q', '-b', 'main');
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'alpha');
    git(world.dir, 'checkout', '-qb', 'feature');
    world.write('endpoints/c.yaml', basicSpecYaml('gamma', branchAppName));
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'gamma');
    git(world.dir, 'checkout', '-q', 'main');
    world.write('endpoints/b.yaml', basicSpecYaml('beta'));
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'beta');
    let merge = '';
    try {
      git(world.dir, 'merge', '-q', 'feature');
    } catch (error) {
      merge = String((error as { stdout?: string }).stdout ?? '');
    }
    return { merge, ids: Object.fromEntries((await world.live()).map((e) => [e.name, e.id])) };
  }

  it('is merged when both sides parse, with a notice, and the next apply writes the union', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    const { merge, ids } = await conflictedMerge(world, 'gamma');
    expect(merge).toContain('CONFLICT (content): Merge conflict in ppio.lock.json');
    expect(world.lockfileText()).toContain('<<<<<<< HEAD');
    world.write('endpoints/c.yaml', basicSpecYaml('gamma'));

    const plan = expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    expect(plan.stderr).toMatch(
      /notice: ppio\.lock\.json held git merge-conflict markers \(lines? [\d, ]+\); both sides were merged \(3 endpoints\)/,
    );
    expect(world.lockfileText()).toContain('<<<<<<< HEAD');

    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(world.lockfileText()).not.toContain('<<<<<<<');
    expect(world.recordedIds()).toEqual({ alpha: ids['alpha'], beta: ids['beta'], gamma: ids['gamma'] });
    expect(world.emulator.endpointCount()).toBe(3);
  });

  it('is an error at the conflict line when one name maps to two ids, saying how to resolve it', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    // Both branches create a spec named "beta" (with different appNames): one name, two ids.
    git(world.dir, 'init', '-q', '-b', 'main');
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'alpha');
    git(world.dir, 'checkout', '-qb', 'feature');
    world.write('endpoints/b.yaml', basicSpecYaml('beta', 'beta-one'));
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'beta one');
    git(world.dir, 'checkout', '-q', 'main');
    world.write('endpoints/b.yaml', basicSpecYaml('beta', 'beta-two'));
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    git(world.dir, 'add', '-A');
    git(world.dir, 'commit', '-qm', 'beta two');
    expect(() => git(world.dir, 'merge', '-q', 'feature')).toThrow();
    world.write('endpoints/b.yaml', basicSpecYaml('beta', 'beta-two'));
    const conflicted = world.lockfileText();
    const line = conflicted.split('\n').findIndex((text) => text.startsWith('<<<<<<<')) + 1;
    expect(line).toBeGreaterThan(0);

    for (const command of [['plan'], ['apply', '--auto-approve']]) {
      const result = expectExit(await world.cli(command), 1);
      expect(result.stderr).toMatch(
        new RegExp(
          `ppio\\.lock\\.json:${line}: a git merge conflict ppio-deploy cannot merge: "beta" is endpoint \\w+ on one side and \\w+ on the other`,
        ),
      );
      expect(result.stderr).toContain('git checkout --ours ppio.lock.json');
    }
    expect(world.lockfileText()).toBe(conflicted);
  });
});
