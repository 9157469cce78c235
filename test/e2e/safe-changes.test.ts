/**
 * Safe change semantics, through the built CLI against the emulator: guarded changes are
 * held back while the rest applies, adoption is explicit, renames keep the endpoint, a
 * replace never leaves a false summary, and what a reviewer must see (drift, failed
 * endpoints, unmanaged ones, secrets never) is in every plan format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { FAILING_IMAGE_MARKER } from '../../src/emulator/index.js';
import { runCli, tempProject } from '../helpers/cli.js';
import {
  API_KEY,
  LOCKFILE,
  apiEndpoint,
  basicSpecYaml,
  expectExit,
  lastLine,
  replaceOnce,
  specWithEnvs,
  specWithMaxNum,
  stopRunningWorlds,
  World,
} from './helpers.js';

afterEach(stopRunningWorlds);

const APPLY = ['apply', '--auto-approve'];
const planJson = async (world: World) => JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);

async function worldWith(files: Record<string, string>, env: Record<string, string> = {}): Promise<World> {
  const world = await World.start({ files, env });
  expectExit(await world.cli(APPLY), 0);
  return world;
}

describe('guarded changes are held back, the rest applies', () => {
  it('applies an update and holds the delete: the endpoint stays live and recorded, exit 0, detailed exit code 2', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('a'), 'endpoints/b.yaml': basicSpecYaml('b') });
    const ids = world.recordedIds();
    world.remove('endpoints/b.yaml');
    world.write('endpoints/a.yaml', specWithMaxNum('a', 6));

    const json = await planJson(world);
    expect(json.changes.map((change: { name: string; action: string; guarded: boolean }) => [change.name, change.action, change.guarded])).toEqual([
      ['a', 'update', false],
      ['b', 'delete', true],
    ]);
    const markdown = expectExit(await world.cli(['plan', '--format', 'markdown']), 0).stdout;
    expect(markdown).toContain('| b | delete (needs `--allow-delete`) |');
    expect(expectExit(await world.cli(['plan']), 0).stdout).toContain('# needs --allow-delete: apply holds it back without it');

    const result = expectExit(await world.cli(APPLY), 0);
    expect(result.stdout.trimEnd().split('\n').slice(-3)).toEqual([
      '  || delete b: held back, needs --allow-delete',
      'Held back: 1 delete (rerun with --allow-delete).',
      'Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted, 0 adopted.',
    ]);
    expect((await world.getLive(ids['a']!)).workerConfig['maxNum']).toBe(6);
    expect(world.emulator.listIds().sort()).toEqual([ids['a'], ids['b']].sort());
    expect(world.recordedIds()).toEqual(ids);
    expect(world.emulator.requestLog.some((entry) => entry.path.startsWith('/endpoint/delete'))).toBe(false);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);

    const allowed = expectExit(await world.cli([...APPLY, '--allow-delete', '--adopt']), 0);
    expect(lastLine(allowed.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 1 deleted, 0 adopted.');
    expect(world.emulator.listIds()).toEqual([ids['a']]);
    // The flags with nothing left to adopt or delete are fine.
    expect(lastLine(expectExit(await world.cli([...APPLY, '--allow-delete', '--adopt']), 0).stdout)).toBe(
      'Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.',
    );
  });

  it('forgets an endpoint already gone live without any flag, saying so truthfully', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('a'), 'endpoints/b.yaml': basicSpecYaml('b') });
    const gone = world.recordedIds()['b']!;
    await world.handDelete(gone);
    world.remove('endpoints/b.yaml');

    const text = expectExit(await world.cli(['plan']), 0).stdout;
    expect(text).toContain(`  - forget b  (endpoints/b.yaml, id ${gone})  [none]`);
    expect(text).toContain(`# endpoint ${gone} no longer exists live: apply only removes it from the lockfile`);
    expect(text).toContain('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget.');
    expect(text).not.toContain('deleted outside ppio-deploy');

    const result = expectExit(await world.cli(APPLY), 0);
    expect(lastLine(result.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted, 1 forgotten.');
    expect(Object.keys(world.lockfile().endpoints)).toEqual(['a']);
  });
});

describe('renames and replaces', () => {
  it('moves a renamed spec (same appName): same id and URL, the lockfile entry moves', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('chat', 'chat-app') });
    const before = world.lockfile().endpoints['chat']!;
    world.write('endpoints/a.yaml', basicSpecYaml('chat-v2', 'chat-app'));

    const text = expectExit(await world.cli(['plan']), 0).stdout;
    expect(text).toContain(` -> move chat -> chat-v2  (endpoints/a.yaml, id ${before.id})  [metadata]`);
    expect(text).toContain('Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 to move.');
    expect((await planJson(world)).changes).toEqual([
      expect.objectContaining({ name: 'chat-v2', from: 'chat', action: 'move', id: before.id, guarded: false }),
    ]);
    expect(expectExit(await world.cli(['plan', '--format', 'markdown']), 0).stdout).toContain('| chat → chat-v2 | move | metadata |');

    const result = expectExit(await world.cli(APPLY), 0);
    expect(lastLine(result.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted, 1 moved.');
    const after = world.lockfile().endpoints;
    expect(Object.keys(after)).toEqual(['chat-v2']);
    expect(after['chat-v2']).toMatchObject({ id: before.id, url: before.url });
    expect(world.emulator.listIds()).toEqual([before.id]);
    expect((await world.getLive(before.id)).name).toBe('chat-v2');
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });

  it('reports a replace whose create is refused truthfully: 1 deleted, the failure, what to do; the lockfile agrees', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('a') });
    const oldId = world.recordedIds()['a']!;
    world.write('endpoints/a.yaml', basicSpecYaml('a').replace('rootfsSize: 100', 'rootfsSize: 200'));
    world.emulator.setFault({ refuseCreates: 1 });

    const result = expectExit(await world.cli([...APPLY, '--allow-delete']), 1);
    expect(result.stdout).toContain('Apply failed: 1 operation failed (0 created, 0 updated, 0 replaced, 1 deleted, 0 adopted).');
    expect(result.stdout).toContain(`deleted endpoint ${oldId}, but creating its replacement failed`);
    expect(result.stdout).toContain('run apply again to create it');
    expect(world.emulator.listIds()).toEqual([]);
    expect(world.lockfile().endpoints).toEqual({});
    expect(world.lockfile().pending).toEqual([]);

    world.emulator.setFault({ refuseCreates: 0 });
    const plan = await planJson(world);
    expect(plan.changes).toEqual([expect.objectContaining({ name: 'a', action: 'create' })]);
    expect(lastLine(expectExit(await world.cli(APPLY), 0).stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
  });

  it('creates before it destroys when the appName changes: a refused create leaves the old endpoint serving and recorded', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('a') });
    const lockfileBefore = world.lockfileText();
    const oldId = world.recordedIds()['a']!;
    world.write('endpoints/a.yaml', basicSpecYaml('a', 'a-v2'));
    world.emulator.setFault({ refuseCreates: 1 });

    const result = expectExit(await world.cli([...APPLY, '--allow-delete']), 1);
    expect(result.stdout).toContain(`endpoint ${oldId} was not deleted and still serves`);
    expect(result.stdout).toContain('(0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted)');
    expect(world.emulator.listIds()).toEqual([oldId]);
    expect((await world.getLive(oldId)).state.state).toBe('serving');
    expect(world.lockfileText()).toBe(lockfileBefore);
  });
});

describe('adoption is explicit', () => {
  it("never takes over another project's endpoint on a shared account without --adopt", async () => {
    const ours = await worldWith({ 'endpoints/shared.yaml': basicSpecYaml('shared') });
    const ourId = ours.recordedIds()['shared']!;
    const theirs = tempProject({ 'endpoints/shared.yaml': specWithMaxNum('shared', 9) });
    try {
      const env = { PPIO_BASE_URL: ours.emulator.url, PPIO_API_KEY: API_KEY };
      const cli = (args: string[]) => runCli(args, { cwd: theirs.dir, env });

      const plan = JSON.parse(expectExit(await cli(['plan', '--format', 'json']), 0).stdout);
      expect(plan.changes).toEqual([expect.objectContaining({ name: 'shared', action: 'adopt', id: ourId, guarded: true })]);
      for (let run = 0; run < 2; run += 1) {
        const result = expectExit(await cli(APPLY), 0);
        expect(result.stdout).toContain('Held back: 1 adopt (rerun with --adopt).');
      }
      expect((await ours.getLive(ourId)).workerConfig['maxNum']).toBe(4);
      expect(ours.emulator.listIds()).toEqual([ourId]);
      expect(JSON.parse(readFileSync(path.join(theirs.dir, LOCKFILE), 'utf8')).endpoints).toEqual({});
      expectExit(await ours.cli(['plan', '--detailed-exitcode']), 0);
    } finally {
      theirs.cleanup();
    }
  });

  it('counts an endpoint found after a lost create response as created, and prints its URL', async () => {
    const world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('a') }, emulator: { dropRate: 1 } });
    const result = expectExit(await world.cli(APPLY), 0);
    const entry = world.lockfile().endpoints['a']!;
    expect(lastLine(result.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(result.stdout).toContain(`    a: ${entry.url}`);
    expect(world.emulator.listIds()).toEqual([entry.id]);
  });
});

describe('what a reviewer sees', () => {
  it("warns about a failed managed endpoint with the platform's message, and lists unmanaged ones, in every format", async () => {
    const failing = basicSpecYaml('broken').replace('ghcr.io/acme/sdxl:1.4.2', `ghcr.io/acme/${FAILING_IMAGE_MARKER}:1`);
    const world = await worldWith({ 'endpoints/broken.yaml': failing });
    const id = world.recordedIds()['broken']!;
    await world.handCreate(apiEndpoint('console-llm', 'console-llm'));

    const message = `endpoint broken (${id}) is failed: failed to pull image ghcr.io/acme/${FAILING_IMAGE_MARKER}:1`;
    const text = expectExit(await world.cli(['plan', '--detailed-exitcode']), 0).stdout;
    expect(text).toContain(`Warning: ${message}`);
    expect(text).toContain('No changes. Endpoints match the specs.');
    expect(text).toContain('Not managed: 1 live endpoint the lockfile does not record (console-llm).');
    const json = await planJson(world);
    expect(json).toMatchObject({ mode: 'online', environment: null, unmanaged: ['console-llm'], warnings: [{ name: 'broken', message }] });
    const markdown = expectExit(await world.cli(['plan', '--format', 'markdown']), 0).stdout;
    expect(markdown).toContain(`> [!CAUTION]\n> - endpoint broken (${id}) is failed`);
    expect(markdown).toContain('Not managed: 1 live endpoint');
  });

  it('compares envs by key: a reordering alone is no change', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': specWithEnvs('a', { MODE: 'fast', LEVEL: '3' }) });
    world.write('endpoints/a.yaml', specWithEnvs('a', { LEVEL: '3', MODE: 'fast' }));
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    world.write('endpoints/a.yaml', specWithEnvs('a', { LEVEL: '4', MODE: 'fast' }));
    const json = await planJson(world);
    expect(json.changes[0].fields).toEqual([{ path: '/envs/0/value', before: '(sensitive)', after: '4', sensitive: true, drift: false }]);
  });

  it("never prints a live secret when a pull request edits both the spec and the lockfile's applied value", async () => {
    const secret = 'hf_LIVE-secret-0123456789';
    const world = await worldWith({ 'endpoints/a.yaml': specWithEnvs('a', { HF_TOKEN: '${env:HF_TOKEN}' }) }, { HF_TOKEN: secret });
    world.write('endpoints/a.yaml', specWithEnvs('a', { HF_TOKEN: 'x' }));
    const lockfile = world.lockfile();
    lockfile.endpoints['a']!.applied['envs'] = [{ key: 'HF_TOKEN', value: 'x' }];
    world.write(LOCKFILE, `${JSON.stringify(lockfile, null, 2)}\n`);

    for (const format of ['text', 'json', 'markdown']) {
      const result = expectExit(await world.cli(['plan', '--format', format], { HF_TOKEN: undefined }), 0);
      expect(result.stdout + result.stderr).not.toContain(secret);
      expect(result.stdout).toContain('(sensitive)');
    }
  });

  it('never prints a live secret from another field either, when the job has it in its environment', async () => {
    // The PR drops the template from both the spec and the lockfile; the CI job still exports
    // HF_TOKEN, so the output mask knows the value by its secret-looking name.
    const secret = 'hf_LIVE-command-secret-42';
    const withCommand = (command: string) => replaceOnce(basicSpecYaml('a'), 'command: python -m server --port 8080', `command: "${command}"`);
    const world = await worldWith({ 'endpoints/a.yaml': withCommand('serve --token ${env:HF_TOKEN}') }, { HF_TOKEN: secret });
    world.write('endpoints/a.yaml', withCommand('serve --token x'));
    const lockfile = world.lockfile();
    (lockfile.endpoints['a']!.applied['image'] as Record<string, unknown>)['command'] = 'serve --token x';
    world.write(LOCKFILE, `${JSON.stringify(lockfile, null, 2)}\n`);

    for (const format of ['text', 'json', 'markdown']) {
      const result = expectExit(await world.cli(['plan', '--format', format]), 0);
      expect(result.stdout + result.stderr).not.toContain(secret);
      expect(result.stdout).toContain('serve --token (sensitive)');
    }
  });

  it('refuses a plan file saved by the previous version, changing nothing', async () => {
    const world = await worldWith({ 'endpoints/a.yaml': basicSpecYaml('a') });
    world.write('endpoints/a.yaml', specWithMaxNum('a', 6));
    const old = {
      kind: 'ppio-deploy-plan',
      formatVersion: 1,
      basis: { specsDigest: 'x', lockfileDigest: 'y', live: true },
      changes: [],
      summary: {},
    };
    world.write('old-plan.json', JSON.stringify(old));
    const result = expectExit(await world.cli(['apply', 'old-plan.json', '--auto-approve']), 1);
    expect(result.stderr).toContain('old-plan.json was saved by an earlier ppio-deploy');
    expect(result.stderr).toContain('make the plan again with this version');
    expect((await world.getLive(world.recordedIds()['a']!)).workerConfig['maxNum']).toBe(4);
  });
});
