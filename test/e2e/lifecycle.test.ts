/**
 * One project through its whole life, step by step, with the built CLI against the
 * emulator: create, no-op, update, drift, delete, replace, lost lockfile, hand-deleted
 * endpoint, stale saved plans, import. Each step builds on the one before, as in real use.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiEndpoint, basicSpecYaml, expectExit, lastLine, maskOutput, specWithMaxNum, World, LOCKFILE } from './helpers.js';

let world: World;
/** The ids of the project's endpoints, by spec name, as the steps go. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  world = await World.start({
    files: {
      'endpoints/sdxl.yaml': basicSpecYaml('sdxl-turbo'),
      'endpoints/whisper.yaml': basicSpecYaml('whisper'),
    },
  });
});
afterAll(async () => world?.stop());

const planJson = async () => JSON.parse(expectExit(await world.cli(['plan', '--format', 'json']), 0).stdout);
const liveIds = () => world.emulator.listIds().sort();
const applied = (text: string) => lastLine(text);

describe('the lifecycle of a project, through the CLI', () => {
  it('creates every endpoint and records ids that match the emulator', async () => {
    const result = expectExit(await world.cli(['apply', '--auto-approve']), 0);

    expect(applied(result.stdout)).toBe('Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    const lockfile = world.lockfile();
    expect(Object.keys(lockfile.endpoints).sort()).toEqual(['sdxl-turbo', 'whisper']);
    expect(
      Object.values(lockfile.endpoints)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(liveIds());
    for (const [name, entry] of Object.entries(lockfile.endpoints)) {
      const live = await world.getLive(entry.id);
      expect(live.appName).toBe(name);
      expect(entry.url).toBe(live.url);
      ids[name] = entry.id;
    }
    expect(lockfile.pending).toEqual([]);
  });

  it('plans no changes right after (exit 0 with --detailed-exitcode, all noop in JSON)', async () => {
    const detailed = expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    expect(detailed.stdout).toContain('No changes.');

    const plan = await planJson();
    // Two endpoints of 4 workers × 1 GPU at the emulator's 0.69 per GPU-hour, unchanged.
    const cost = { currency: 'USD', floor: [0, 0], ceiling: [5.52, 5.52] };
    expect(plan.summary).toEqual({ create: 0, adopt: 0, update: 0, replace: 0, delete: 0, noop: 2, move: 0, forget: 0, cost });
  });

  it('plans and applies an update of maxNum as a scaling change on the same endpoint', async () => {
    world.write('endpoints/sdxl.yaml', specWithMaxNum('sdxl-turbo', 6));

    const text = expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);
    expect(maskOutput(text.stdout)).toContain('~ update sdxl-turbo  (endpoints/sdxl.yaml, id <id>)  [scaling]');
    expect(text.stdout).toContain('~ /workerConfig/maxNum: 4 → 6');
    expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');
    const plan = await planJson();
    expect(plan.changes.filter((change: { action: string }) => change.action !== 'noop')).toEqual([
      {
        name: 'sdxl-turbo',
        action: 'update',
        id: ids['sdxl-turbo'],
        source: 'endpoints/sdxl.yaml',
        impact: 'scaling',
        guarded: false,
        fields: [{ path: '/workerConfig/maxNum', before: 4, after: 6, drift: false }],
        cost: { currency: 'USD', floor: [0, 0], ceiling: [2.76, 4.14] },
      },
    ]);

    const result = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect((await world.getLive(ids['sdxl-turbo']!)).workerConfig['maxNum']).toBe(6);
    expect(world.lockfile().endpoints['sdxl-turbo']!.applied['workerConfig'].maxNum).toBe(6);
    expect(liveIds()).toEqual(Object.values(ids).sort());
  });

  it('shows a hand change made outside ppio-deploy (drift) as an update back, and apply corrects it', async () => {
    await world.handUpdate(
      ids['sdxl-turbo']!,
      apiEndpoint('sdxl-turbo', 'sdxl-turbo', (endpoint) => {
        endpoint['workerConfig'].maxNum = 9;
        endpoint['image'].command = 'python -m server --port 8080 --debug';
      }),
    );

    const plan = await planJson();
    const drift = plan.changes.find((change: { name: string }) => change.name === 'sdxl-turbo');
    expect(drift.action).toBe('update');
    expect(drift.fields).toEqual(
      expect.arrayContaining([
        { path: '/workerConfig/maxNum', before: 9, after: 6, drift: true },
        { path: '/image/command', before: 'python -m server --port 8080 --debug', after: 'python -m server --port 8080', drift: true },
      ]),
    );
    const text = expectExit(await world.cli(['plan']), 0).stdout;
    expect(text).toContain('~ /workerConfig/maxNum: 9 → 6  (drift: changed outside ppio-deploy; this reverts it)');
    const markdown = expectExit(await world.cli(['plan', '--format', 'markdown']), 0).stdout;
    expect(markdown).toContain('- /workerConfig/maxNum: 9  (drift: changed outside ppio-deploy; this reverts it)');
    expect(drift.impact).toBe('rollout');

    const result = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted, 0 adopted.');
    const live = await world.getLive(ids['sdxl-turbo']!);
    expect(live.workerConfig['maxNum']).toBe(6);
    expect(live.image['command']).toBe('python -m server --port 8080');
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });

  it('holds back the delete of an endpoint whose spec was removed unless --allow-delete, changing nothing', async () => {
    world.remove('endpoints/whisper.yaml');
    const lockfileBefore = world.lockfileText();

    const plan = expectExit(await world.cli(['plan']), 0);
    expect(plan.stdout).toMatch(/^\s*- delete whisper/m);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');

    const held = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(held.stdout.trimEnd().split('\n').slice(-3)).toEqual([
      '  || delete whisper: held back, needs --allow-delete',
      'Held back: 1 delete (rerun with --allow-delete).',
      'Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.',
    ]);
    expect(liveIds()).toEqual(Object.values(ids).sort());
    expect(world.lockfileText()).toBe(lockfileBefore);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);

    const allowed = expectExit(await world.cli(['apply', '--auto-approve', '--allow-delete']), 0);
    expect(applied(allowed.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 1 deleted, 0 adopted.');
    expect(liveIds()).toEqual([ids['sdxl-turbo']]);
    expect(Object.keys(world.lockfile().endpoints)).toEqual(['sdxl-turbo']);
    delete ids['whisper'];
  });

  it('replaces an endpoint whose appName changed (-/+), only with --allow-delete, creating the new one first', async () => {
    world.write('endpoints/sdxl.yaml', specWithMaxNum('sdxl-turbo', 6, 'sdxl-turbo-v2'));
    const lockfileBefore = world.lockfileText();
    const oldId = ids['sdxl-turbo']!;

    const text = expectExit(await world.cli(['plan']), 0);
    expect(text.stdout).toMatch(/^\s*-\/\+ replace sdxl-turbo/m);
    expect(text.stdout).toContain('Plan: 0 to create, 0 to update, 1 to replace, 0 to delete.');
    const plan = await planJson();
    expect(plan.changes).toEqual([expect.objectContaining({ name: 'sdxl-turbo', action: 'replace', id: oldId, impact: 'new-endpoint' })]);

    const held = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(held.stdout).toContain('Held back: 1 replace (rerun with --allow-delete).');
    expect(liveIds()).toEqual([oldId]);
    expect(world.lockfileText()).toBe(lockfileBefore);

    const logStart = world.emulator.requestLog.length;
    const result = expectExit(await world.cli(['apply', '--auto-approve', '--allow-delete']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 0 created, 0 updated, 1 replaced, 0 deleted, 0 adopted.');
    const writes = world.emulator.requestLog.slice(logStart).filter((entry) => entry.method === 'POST' && !entry.path.includes('update'));
    expect(writes.map((entry) => entry.path.split('?')[0])).toEqual(['/endpoint/create', '/endpoint/delete']);
    const newId = world.lockfile().endpoints['sdxl-turbo']!.id;
    expect(newId).not.toBe(oldId);
    expect(liveIds()).toEqual([newId]);
    const live = await world.getLive(newId);
    expect(live.appName).toBe('sdxl-turbo-v2');
    expect(world.lockfile().endpoints['sdxl-turbo']!.url).toBe(live.url);
    ids['sdxl-turbo'] = newId;
  });

  it('adopts the live endpoint when the lockfile is lost only with --adopt, recording the same id and creating nothing', async () => {
    const lockfileBefore = world.lockfileText();
    world.remove(LOCKFILE);
    const createsBefore = world.createRequests();

    const plan = await planJson();
    expect(plan.changes).toEqual([expect.objectContaining({ name: 'sdxl-turbo', action: 'adopt', id: ids['sdxl-turbo'] })]);
    expect(plan.summary.adopt).toBe(1);
    const text = expectExit(await world.cli(['plan']), 0).stdout;
    expect(text).toContain('`apply --adopt` takes it over (this is also how a lost lockfile is recovered)');

    const held = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(held.stdout).toContain('Held back: 1 adopt (rerun with --adopt).');
    expect(world.createRequests()).toBe(createsBefore);

    const result = expectExit(await world.cli(['apply', '--auto-approve', '--adopt']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 1 adopted.');
    expect(world.recordedIds()).toEqual({ 'sdxl-turbo': ids['sdxl-turbo'] });
    expect(world.createRequests()).toBe(createsBefore);
    expect(liveIds()).toEqual([ids['sdxl-turbo']]);
    // The adopted entry is the same one the lost lockfile held, byte for byte.
    expect(world.lockfileText()).toBe(lockfileBefore);
  });

  it('recreates an endpoint deleted by hand', async () => {
    await world.handDelete(ids['sdxl-turbo']!);
    expect(liveIds()).toEqual([]);

    const plan = await planJson();
    expect(plan.changes).toEqual([expect.objectContaining({ name: 'sdxl-turbo', action: 'create' })]);

    const result = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    const newId = world.lockfile().endpoints['sdxl-turbo']!.id;
    expect(newId).not.toBe(ids['sdxl-turbo']);
    expect(liveIds()).toEqual([newId]);
    ids['sdxl-turbo'] = newId;
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });

  it('refuses a saved plan whose specs changed since, changing nothing', async () => {
    world.write('endpoints/sdxl.yaml', specWithMaxNum('sdxl-turbo', 8, 'sdxl-turbo-v2'));
    expectExit(await world.cli(['plan', '--out', 'p.json']), 0);
    world.write('endpoints/sdxl.yaml', specWithMaxNum('sdxl-turbo', 7, 'sdxl-turbo-v2'));
    const lockfileBefore = world.lockfileText();

    const stale = expectExit(await world.cli(['apply', 'p.json', '--auto-approve']), 1);
    expect(stale.stderr).toContain('stale');
    expect(stale.stderr).toContain('spec files changed');
    expect((await world.getLive(ids['sdxl-turbo']!)).workerConfig['maxNum']).toBe(6);
    expect(world.lockfileText()).toBe(lockfileBefore);
  });

  it('applies a fresh saved plan exactly', async () => {
    const saved = expectExit(await world.cli(['plan', '--out', 'p2.json']), 0);
    expect(saved.stdout).toContain('~ /workerConfig/maxNum: 6 → 7');
    const plan = JSON.parse(world.read('p2.json'));
    expect(plan.changes).toEqual([expect.objectContaining({ name: 'sdxl-turbo', action: 'update' })]);

    const result = expectExit(await world.cli(['apply', 'p2.json', '--auto-approve']), 0);
    expect(applied(result.stdout)).toBe('Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect((await world.getLive(ids['sdxl-turbo']!)).workerConfig['maxNum']).toBe(7);
  });

  it('refuses a saved plan when the live endpoint moved since (a hand change), changing nothing', async () => {
    world.write('endpoints/sdxl.yaml', specWithMaxNum('sdxl-turbo', 5, 'sdxl-turbo-v2'));
    expectExit(await world.cli(['plan', '--out', 'p3.json']), 0);
    await world.handUpdate(
      ids['sdxl-turbo']!,
      apiEndpoint('sdxl-turbo', 'sdxl-turbo-v2', (endpoint) => {
        endpoint['workerConfig'].maxNum = 7;
        endpoint['policy'].value = 45;
      }),
    );
    const lockfileBefore = world.lockfileText();

    const stale = expectExit(await world.cli(['apply', 'p3.json', '--auto-approve']), 1);
    expect(stale.stderr).toContain('stale');
    expect(stale.stderr).toContain('live endpoints changed');
    const live = await world.getLive(ids['sdxl-turbo']!);
    expect(live.workerConfig['maxNum']).toBe(7);
    expect(Number(live['policy'] && (live['policy'] as { value: string }).value)).toBe(45);
    expect(world.lockfileText()).toBe(lockfileBefore);

    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });

  it('imports an endpoint created by hand under its spec name, idempotently, and refuses an unknown name', async () => {
    const handMade = await world.handCreate(apiEndpoint('llama', 'llama-chat'));
    world.write('endpoints/llama.yaml', basicSpecYaml('llama', 'llama-chat'));
    const lockfileBefore = world.lockfileText();
    const missing = expectExit(await world.cli(['import', 'llama', '0123456789abcdef']), 1);
    expect(missing.stderr).toContain('Error: the account has no endpoint 0123456789abcdef');
    expect(missing.stderr).not.toContain('    at ');
    expect(world.lockfileText()).toBe(lockfileBefore);

    const imported = expectExit(await world.cli(['import', 'llama', handMade]), 0);
    expect(imported.stdout).toContain(`Imported ${handMade} as llama`);
    const entry = world.lockfile().endpoints['llama']!;
    expect(entry.id).toBe(handMade);
    expect(entry.url).toBe((await world.getLive(handMade)).url);
    expect(entry.source).toBe('endpoints/llama.yaml');
    expect(world.recordedIds()['sdxl-turbo']).toBe(ids['sdxl-turbo']);

    const lockfileAfterImport = world.lockfileText();
    const again = expectExit(await world.cli(['import', 'llama', handMade]), 0);
    expect(again.stdout).toContain('already recorded');
    expect(world.lockfileText()).toBe(lockfileAfterImport);

    const unknown = expectExit(await world.cli(['import', 'no-such-spec', handMade]), 1);
    expect(unknown.stderr).toContain('no spec is named "no-such-spec"');
    expect(world.lockfileText()).toBe(lockfileAfterImport);

    // The hand-made endpoint matches its spec, so nothing is left to change, and nothing was created twice.
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    expect(world.emulator.listIds().sort()).toEqual([handMade, ids['sdxl-turbo']].sort());
  });
});
