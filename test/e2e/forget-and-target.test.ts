/**
 * `forget NAME` and `--target NAME` through the built CLI against the emulator: forgetting
 * leaves the endpoint live and out of every plan; a target limits plan, apply and a saved
 * plan to the named specs, and a target that matches nothing is an error.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, expectExit, lastLine, World } from './helpers.js';

let world: World;

beforeAll(async () => {
  world = await World.start({
    files: {
      'endpoints/alpha.yaml': basicSpecYaml('alpha'),
      'endpoints/beta.yaml': basicSpecYaml('beta'),
      'endpoints/gamma.yaml': basicSpecYaml('gamma'),
    },
  });
});
afterAll(async () => world?.stop());

const pendingNames = async (args: string[] = []) => {
  const plan = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json', ...args]), 0).stdout);
  return plan.changes
    .filter((change: { action: string }) => change.action !== 'noop')
    .map((change: { action: string; name: string }) => `${change.action} ${change.name}`);
};

describe('--target', () => {
  it('plans only the named specs, by name or glob', async () => {
    expect(await pendingNames(['--target', 'beta'])).toEqual(['create beta']);
    expect(await pendingNames(['--target', 'beta', '--target', 'g*'])).toEqual(['create beta', 'create gamma']);
    const text = expectExit(await world.cli(['plan', '--target', 'beta']), 0);
    expect(lastLine(text.stdout)).toBe('Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.');
  });

  it('is an error, naming it, when a target matches nothing', async () => {
    const result = expectExit(await world.cli(['apply', '--auto-approve', '--target', 'beta', '--target', 'betta']), 1);
    expect(result.stderr).toContain('--target "betta" matches no spec and no endpoint in the lockfile (names: alpha, beta, gamma)');
    expect(world.exists('ppio.lock.json')).toBe(false);
    expect(world.emulator.listIds()).toEqual([]);
  });

  it('applies one of three pending changes and leaves the other two pending', async () => {
    const result = expectExit(await world.cli(['apply', '--auto-approve', '--target', 'beta']), 0);
    expect(lastLine(result.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(Object.keys(world.lockfile().endpoints)).toEqual(['beta']);
    expect(world.emulator.listIds()).toHaveLength(1);
    expect(await pendingNames()).toEqual(['create alpha', 'create gamma']);
  });

  it('keeps a saved plan to its targets, and refuses --target beside a saved plan', async () => {
    expectExit(await world.cli(['plan', '--target', 'alpha', '--out', 'plan.json']), 0);
    expect(JSON.parse(world.read('plan.json')).basis.targets).toEqual(['alpha']);
    const mixed = expectExit(await world.cli(['apply', 'plan.json', '--target', 'gamma']), 1);
    expect(mixed.stderr).toContain('--target cannot be combined with a saved plan');

    const result = expectExit(await world.cli(['apply', 'plan.json', '--auto-approve']), 0);
    expect(lastLine(result.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(Object.keys(world.lockfile().endpoints).sort()).toEqual(['alpha', 'beta']);
    expect(await pendingNames()).toEqual(['create gamma']);
  });
});

describe('forget', () => {
  it('removes the lockfile entry and leaves the endpoint live; the next plan does not touch it', async () => {
    const id = world.lockfile().endpoints['alpha']!.id;
    world.remove('endpoints/alpha.yaml');
    expect(await pendingNames()).toEqual(['delete alpha', 'create gamma']);

    const result = expectExit(await world.cli(['forget', 'alpha']), 0);
    expect(result.stdout).toBe(
      `Forgot alpha: removed endpoint ${id} from ppio.lock.json; the endpoint itself is untouched. Plans now list it as not managed.\n`,
    );
    expect(Object.keys(world.lockfile().endpoints)).toEqual(['beta']);
    expect((await world.getLive(id)).name).toBe('alpha');
    expect(await pendingNames()).toEqual(['create gamma']);
    const plan = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);
    expect(plan.unmanaged).toEqual(['alpha']);
    const text = expectExit(await world.cli(['plan']), 0);
    expect(text.stdout).toContain('Not managed: 1 live endpoint the lockfile does not record (alpha).');
  });

  it('is an error for a name the lockfile does not record, and changes nothing', async () => {
    const before = world.lockfileText();
    const result = expectExit(await world.cli(['forget', 'alpha']), 1);
    expect(result.stderr).toContain('Error: the lockfile has no endpoint named "alpha" (it records beta)');
    expect(world.lockfileText()).toBe(before);
  });

  it('says when the spec is still there, since the next plan would offer to adopt the endpoint again', async () => {
    const result = expectExit(await world.cli(['forget', 'beta']), 0);
    expect(result.stderr).toContain('note: the spec beta is still in endpoints/beta.yaml: the next plan offers to adopt the endpoint again.');
    expect(world.lockfile().endpoints).toEqual({});
  });
});
