import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { FAILING_IMAGE_MARKER } from '../../src/emulator/index.js';
import { readLockfile } from '../../src/lockfile/index.js';
import { assemblePlan } from '../../src/plan/index.js';
import { ApplyWorld, SECRET, countingApi, desiredEndpoint, names } from './helpers.js';

let world: ApplyWorld;
afterEach(async () => world?.stop());

const createdIn = (world: ApplyWorld) =>
  world.events.filter((event) => event.type === 'finished').map((event) => event.type === 'finished' && event.outcome);

describe('applyPlan against the emulator', () => {
  it('creates endpoints, recording id, the API url and the templated config, never the secret', async () => {
    world = await ApplyWorld.start();
    const desired = names(3).map((name) => desiredEndpoint(name));

    const result = await world.planAndApply(desired);

    expect(result).toEqual({
      counts: { created: 3, updated: 0, replaced: 0, deleted: 0, adopted: 0, moved: 0, forgotten: 0 },
      failures: [],
      heldBack: [],
    });
    await world.session.close();
    const lockfile = await readLockfile(world.lockfilePath);
    expect(Object.keys(lockfile.endpoints).sort()).toEqual(['ep-0', 'ep-1', 'ep-2']);
    expect(
      Object.values(lockfile.endpoints)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(world.emulator.listIds().sort());
    for (const [name, entry] of Object.entries(lockfile.endpoints)) {
      expect(entry.url).toBe((await world.api.getEndpoint(entry.id)).url);
      expect(entry.applied).toEqual(desiredEndpoint(name).recorded);
      expect(entry.source).toBe(`endpoints/${name}.yaml`);
    }
    expect(lockfile.pending).toEqual([]);
    expect(readFileSync(world.lockfilePath, 'utf8')).not.toContain(SECRET);
    const live = await world.api.getEndpoint(lockfile.endpoints['ep-0']!.id);
    expect(live.config.envs).toEqual([{ key: 'HF_TOKEN', value: SECRET }]);
    expect(createdIn(world)).toEqual(['created', 'created', 'created']);
  });

  it('records the URLs of many creates in a group commit or two, not one per concurrency slot', async () => {
    world = await ApplyWorld.start();
    const desired = names(40).map((name) => desiredEndpoint(name));
    let appendsWhenCreatesEnded = 0;
    let finished = 0;
    const result = await world.planAndApply(desired, {
      concurrency: 2,
      onEvent: (event) => {
        if (event.type === 'finished' && ++finished === desired.length) appendsWhenCreatesEnded = world.session.writeStats().journalAppends;
      },
    });

    expect(result.counts.created).toBe(40);
    // The last create's own record, then the 40 URLs: 20 rounds of write + fsync if each slot waited for its own.
    expect(world.session.writeStats().journalAppends - appendsWhenCreatesEnded).toBeLessThanOrEqual(3);
    expect(Object.values(world.session.current().endpoints).every((entry) => entry.url !== '')).toBe(true);
  });

  it('updates with the full desired config and records what was applied', async () => {
    world = await ApplyWorld.start();
    await world.planAndApply([desiredEndpoint('web')]);
    const changed = desiredEndpoint('web', {
      workerConfig: { minNum: 1, maxNum: 8, freeTimeout: 60, maxConcurrent: 4, gpuNum: 1, requestTimeout: 120 },
    });

    const plan = await world.plan([changed]);
    expect(plan.changes.map((change) => change.action)).toEqual(['update']);
    const result = await world.apply(plan, [changed]);

    expect(result.counts.updated).toBe(1);
    const id = world.session.current().endpoints['web']!.id;
    const live = await world.api.getEndpoint(id);
    expect(live.config.workerConfig.maxNum).toBe(8);
    expect(live.config.envs).toEqual([{ key: 'HF_TOKEN', value: SECRET }]);
    expect(world.session.current().endpoints['web']!.applied.workerConfig.maxNum).toBe(8);
    expect(world.emulator.endpointCount()).toBe(1);
  });

  it('holds back deletes and replaces without allowDelete: no API call for them, the lockfile unchanged', async () => {
    world = await ApplyWorld.start();
    await world.planAndApply([desiredEndpoint('keep'), desiredEndpoint('drop')]);
    const replaced = desiredEndpoint('keep', { products: [{ id: '2' }] });
    const plan = await world.plan([replaced]);
    expect(plan.changes.map((change) => change.action).sort()).toEqual(['delete', 'replace']);
    const requestsBefore = world.emulator.requestLog.length;
    const lockfileBefore = JSON.stringify(world.session.current());

    const result = await world.apply(plan, [replaced]);

    expect(result.heldBack.map((change) => `${change.action} ${change.name}`).sort()).toEqual(['delete drop', 'replace keep']);
    expect(result.failures).toEqual([]);
    expect(world.emulator.requestLog.length).toBe(requestsBefore);
    expect(JSON.stringify(world.session.current())).toBe(lockfileBefore);
    expect(world.emulator.endpointCount()).toBe(2);
  });

  it('deletes with allowDelete, treating an already-deleted endpoint as gone', async () => {
    world = await ApplyWorld.start();
    await world.planAndApply([desiredEndpoint('a'), desiredEndpoint('b'), desiredEndpoint('c')]);
    const plan = assemblePlan({ desired: [desiredEndpoint('a')], lockfile: world.session.current() });
    await world.api.deleteEndpoint(world.session.current().endpoints['c']!.id);

    const result = await world.apply(plan, [desiredEndpoint('a')], { allowDelete: true });

    expect(result).toEqual({
      counts: { created: 0, updated: 0, replaced: 0, deleted: 2, adopted: 0, moved: 0, forgotten: 0 },
      failures: [],
      heldBack: [],
    });
    expect(Object.keys(world.session.current().endpoints)).toEqual(['a']);
    expect(world.emulator.listIds()).toEqual([world.session.current().endpoints['a']!.id]);
  });

  it('replaces (delete, then create) when an immutable field changes', async () => {
    world = await ApplyWorld.start();
    await world.planAndApply([desiredEndpoint('gpu')]);
    const oldId = world.session.current().endpoints['gpu']!.id;
    const moved = desiredEndpoint('gpu', { products: [{ id: '3' }] });

    const result = await world.planAndApply([moved], { allowDelete: true });

    expect(result.counts.replaced).toBe(1);
    const entry = world.session.current().endpoints['gpu']!;
    expect(entry.id).not.toBe(oldId);
    expect(world.emulator.listIds()).toEqual([entry.id]);
    expect((await world.api.getEndpoint(entry.id)).config.products).toEqual([{ id: '3' }]);
    expect(entry.applied.products).toEqual([{ id: '3' }]);
  });

  it('adopts a live endpoint with the same appName and updates it to the spec', async () => {
    world = await ApplyWorld.start();
    const { id } = await world.api.createEndpoint(desiredEndpoint('legacy', { image: { image: 'ghcr.io/acme/old:1' } }).config);
    const desired = [desiredEndpoint('legacy')];
    const plan = await world.plan(desired);
    expect(plan.changes.map((change) => change.action)).toEqual(['adopt']);

    const held = await world.apply(plan, desired);
    expect(held.heldBack.map((change) => change.name)).toEqual(['legacy']);
    expect(world.session.current().endpoints['legacy']).toBeUndefined();

    const result = await world.apply(plan, desired, { adopt: true });

    expect(result.counts.adopted).toBe(1);
    expect(world.session.current().endpoints['legacy']!.id).toBe(id);
    expect(world.emulator.listIds()).toEqual([id]);
    expect((await world.api.getEndpoint(id)).config.image.image).toBe('ghcr.io/acme/sdxl:1.4.2');
  });

  it('reconciles creates whose responses were lost: exactly one endpoint each', async () => {
    world = await ApplyWorld.start({ dropRate: 1 });
    const desired = names(4, 'lost').map((name) => desiredEndpoint(name));

    const result = await world.planAndApply(desired);

    expect(result.failures).toEqual([]);
    expect(result.counts.created).toBe(4);
    const ids = world.emulator.listIds().sort();
    expect(ids).toHaveLength(4);
    expect(
      Object.values(world.session.current().endpoints)
        .map((entry) => entry.id)
        .sort(),
    ).toEqual(ids);
    expect(world.events.filter((event) => event.type === 'reconciled')).toHaveLength(4);
    const createPosts = world.emulator.requestLog.filter((entry) => entry.method === 'POST' && entry.path.startsWith('/endpoint/create'));
    expect(createPosts).toHaveLength(4);
    expect(world.session.current().pending).toEqual([]);
  });

  it.each([
    ['429 (rate limited)', { rateLimitRate: 1, retryAfterSeconds: 0 }, 429],
    ['500 (server error)', { errorRate: 1 }, 500],
  ] as const)('sends a create refused with %s again in the same run, looking it up first: one endpoint', async (_label, fault, status) => {
    world = await ApplyWorld.start({
      // The service recovers right after refusing the first create.
      onRequest: (entry) => {
        if (entry.status === status && entry.path.startsWith('/endpoint/create')) world.emulator.setFault({ rateLimitRate: 0, errorRate: 0 });
      },
    });
    const desired = [desiredEndpoint('busy')];
    const plan = await world.plan(desired);
    world.emulator.setFault(fault);

    const result = await world.apply(plan, desired);

    expect(result.failures).toEqual([]);
    expect(result.counts.created).toBe(1);
    expect(world.emulator.listIds()).toHaveLength(1);
    const createStatuses = world.emulator.requestLog.filter((entry) => entry.path.startsWith('/endpoint/create')).map((entry) => entry.status);
    expect(createStatuses).toEqual([status, 200]);
  });

  it('takes over an appName taken after planning (SERVERLESS_APP_NAME_IS_EXIST) only with adopt', async () => {
    world = await ApplyWorld.start();
    const desired = [desiredEndpoint('racer')];
    const plan = await world.plan(desired);
    expect(plan.changes.map((change) => change.action)).toEqual(['create']);
    const { id } = await world.api.createEndpoint(desiredEndpoint('racer', { policy: { type: 'queue', value: 5 } }).config);

    const refused = await world.apply(plan, desired);
    expect(refused.failures).toEqual([
      {
        name: 'racer',
        action: 'create',
        message: expect.stringContaining(`live endpoint ${id}, which the lockfile does not record, already has appName "racer": rerun with --adopt`),
      },
    ]);
    expect(world.session.current().endpoints['racer']).toBeUndefined();
    expect((await world.api.getEndpoint(id)).config.policy.value).toBe(5);

    const result = await world.apply(plan, desired, { adopt: true });

    expect(result).toEqual({
      counts: { created: 0, updated: 0, replaced: 0, deleted: 0, adopted: 1, moved: 0, forgotten: 0 },
      failures: [],
      heldBack: [],
    });
    expect(world.emulator.listIds()).toEqual([id]);
    expect(world.session.current().endpoints['racer']!.id).toBe(id);
    expect((await world.api.getEndpoint(id)).config.policy.value).toBe(30);
  });

  it('records the endpoint of an interrupted create recorded as pending, as created, even from an offline plan', async () => {
    world = await ApplyWorld.start();
    const desired = [desiredEndpoint('half')];
    await world.session.recordPending({ name: 'half', appName: 'half', source: 'endpoints/half.yaml' });
    const { id } = await world.api.createEndpoint(desired[0]!.config);
    const offline = assemblePlan({ desired, lockfile: world.session.current() });
    expect(offline.changes.map((change) => change.action)).toEqual(['create']);

    const result = await world.apply(offline, desired);

    expect(result.counts.created).toBe(1);
    expect(world.events).toContainEqual({ type: 'url', name: 'half', id, url: expect.any(String) });
    expect(world.emulator.listIds()).toEqual([id]);
    expect(world.session.current()).toMatchObject({ endpoints: { half: { id } }, pending: [] });
  });

  it('keeps at most `concurrency` operations in flight', async () => {
    world = await ApplyWorld.start({ latencyMs: 40 });
    const counting = countingApi(world.api);
    const desired = names(10, 'par').map((name) => desiredEndpoint(name));

    const result = await world.apply(await world.plan(desired), desired, { api: counting.api, concurrency: 3 });

    expect(result.counts.created).toBe(10);
    expect(counting.maxInFlight()).toBe(3);
  });

  it('isolates failures: the other changes still run, and a failed create leaves no pending intent', async () => {
    world = await ApplyWorld.start();
    const desired = [desiredEndpoint('good-1'), desiredEndpoint('bad', { products: [{ id: '999' }] }), desiredEndpoint('good-2')];

    const result = await world.planAndApply(desired);

    expect(result.counts.created).toBe(2);
    expect(result.failures).toEqual([
      { name: 'bad', action: 'create', message: expect.stringMatching(/SERVERLESS_PRODUCT_NOT_FOUND/) as unknown as string },
    ]);
    expect(Object.keys(world.session.current().endpoints).sort()).toEqual(['good-1', 'good-2']);
    expect(world.session.current().pending).toEqual([]);
    expect(world.events.some((event) => event.type === 'failed' && event.change.name === 'bad')).toBe(true);
  });

  it('fails an update whose endpoint vanished since planning, suggesting a new plan', async () => {
    world = await ApplyWorld.start();
    await world.planAndApply([desiredEndpoint('ghost')]);
    const changed = [desiredEndpoint('ghost', { policy: { type: 'queue', value: 9 } })];
    const plan = await world.plan(changed);
    await world.api.deleteEndpoint(world.session.current().endpoints['ghost']!.id);

    const result = await world.apply(plan, changed);

    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]!.message).toMatch(/no longer exists.*run plan again/);
  });

  it('waits until every touched endpoint is serving', async () => {
    world = await ApplyWorld.start({ readyAfterMs: 150 });
    const desired = names(2, 'slow').map((name) => desiredEndpoint(name));

    const result = await world.planAndApply(desired, { wait: { timeoutMs: 5000, pollMs: 20 } });

    expect(result.failures).toEqual([]);
    const ready = world.events.filter((event) => event.type === 'ready');
    expect(ready.map((event) => event.type === 'ready' && event.name).sort()).toEqual(['slow-0', 'slow-1']);
    for (const entry of Object.values(world.session.current().endpoints)) {
      expect((await world.api.getEndpoint(entry.id)).state.state).toBe('serving');
    }
  });

  it('reports an endpoint that fails to start, with its state message, and one that is too slow', async () => {
    world = await ApplyWorld.start({ readyAfterMs: 50 });
    const broken = desiredEndpoint('broken', { image: { image: `ghcr.io/acme/${FAILING_IMAGE_MARKER}:1` } });
    const first = await world.planAndApply([broken], { wait: { timeoutMs: 5000, pollMs: 20 } });
    expect(first.counts.created).toBe(1);
    expect(first.failures).toEqual([
      { name: 'broken', action: 'wait', message: expect.stringMatching(/failed: ImagePullBackOff/) as unknown as string },
    ]);

    world.emulator.setFault({ readyAfterMs: 60_000 });
    const second = await world.planAndApply([broken, desiredEndpoint('sluggish')], { wait: { timeoutMs: 200, pollMs: 20 } });
    expect(second.failures.map((failure) => [failure.name, failure.action])).toEqual([['sluggish', 'wait']]);
    expect(second.failures[0]!.message).toMatch(/not serving after 0\.2s \(state: initializing/);
  });
});
