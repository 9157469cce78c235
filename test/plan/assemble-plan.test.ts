import { describe, expect, it } from '@jest/globals';
import { AmbiguousAdoptionError } from '../../src/common/errors.js';
import { assemblePlan, type Change, type Impact, type Plan } from '../../src/plan/index.js';
import { desiredEndpoint, endpointConfig, liveEndpoint, lockEntry, lockfileOf, withValue } from './fixtures.js';

const ID_A = 'aaaaaaaaaaaaaaaa';
const ID_B = 'bbbbbbbbbbbbbbbb';
const ID_C = 'cccccccccccccccc';

const onlyChange = (plan: Plan): Change => {
  expect(plan.changes).toHaveLength(1);
  return plan.changes[0] as Change;
};

describe('assemblePlan: create', () => {
  it('creates a spec that is not in the lockfile (offline), listing every field as added', () => {
    const config = endpointConfig('sdxl', { envs: [{ key: 'MODE', value: 'fast' }] });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile: lockfileOf() }));
    expect(change).toMatchObject({ name: 'sdxl', action: 'create', source: 'endpoints/sdxl.yaml', impact: 'new-endpoint' });
    expect(change.id).toBeUndefined();
    expect(change.note).toBeUndefined();
    expect(change.fields).toEqual([
      { path: '/name', after: 'sdxl' },
      { path: '/appName', after: 'sdxl' },
      { path: '/workerConfig/minNum', after: 0 },
      { path: '/workerConfig/maxNum', after: 2 },
      { path: '/workerConfig/freeTimeout', after: 300 },
      { path: '/workerConfig/maxConcurrent', after: 2 },
      { path: '/workerConfig/gpuNum', after: 1 },
      { path: '/workerConfig/requestTimeout', after: 120 },
      { path: '/ports/0', after: { port: 8080 } },
      { path: '/policy/type', after: 'queue' },
      { path: '/policy/value', after: 30 },
      { path: '/image/image', after: 'ghcr.io/acme/app:1.0.0' },
      { path: '/products/0', after: { id: '1' } },
      { path: '/rootfsSize', after: 100 },
      { path: '/envs/0', after: { key: 'MODE', value: 'fast' } },
      { path: '/healthy/path', after: '/health' },
    ]);
  });

  it('creates when online and nothing live matches', () => {
    const live = [liveEndpoint(ID_A, endpointConfig('other'))];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile: lockfileOf(), live }));
    expect(change).toMatchObject({ action: 'create', impact: 'new-endpoint' });
    expect(change.id).toBeUndefined();
  });

  it('re-creates an endpoint deleted by hand, naming the stale id in a note', () => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile, live: [] }));
    expect(change).toMatchObject({ action: 'create', impact: 'new-endpoint' });
    expect(change.id).toBeUndefined();
    expect(change.note).toContain(ID_A);
    expect(change.note).toContain('deleted outside ppio-deploy');
  });

  it('notes an offline create that an interrupted apply may already have made', () => {
    const lockfile = lockfileOf({}, [{ name: 'sdxl', appName: 'sdxl', source: 'endpoints/sdxl.yaml' }]);
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile }));
    expect(change.action).toBe('create');
    expect(change.note).toContain('interrupted');
  });
});

describe('assemblePlan: adopt', () => {
  it('adopts an unclaimed live endpoint with the same appName, listing how it differs', () => {
    const live = [
      liveEndpoint(ID_A, endpointConfig('sdxl', { name: 'hand-made', workerConfig: { ...endpointConfig('x').workerConfig, maxNum: 9 } })),
    ];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile: lockfileOf(), live }));
    expect(change).toMatchObject({ name: 'sdxl', action: 'adopt', id: ID_A, impact: 'scaling' });
    expect(change.fields).toEqual([
      { path: '/name', before: 'hand-made', after: 'sdxl' },
      { path: '/workerConfig/maxNum', before: 9, after: 2 },
    ]);
    expect(change.note).toBe(
      `live endpoint ${ID_A} has this appName but is not in the lockfile: \`apply --adopt\` takes it over (this is also how a lost lockfile is recovered), or give the spec another appName`,
    );
  });

  it('adopts by name when the spec has no appName, ignoring the appName the platform gave it', () => {
    const config = endpointConfig('sdxl', { appName: undefined });
    delete config.appName;
    const live = [liveEndpoint(ID_B, endpointConfig('unrelated', { appName: ID_B })), liveEndpoint(ID_A, endpointConfig('sdxl', { appName: ID_A }))];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile: lockfileOf(), live }));
    expect(change).toMatchObject({ action: 'adopt', id: ID_A, impact: 'none', fields: [] });
    expect(change.note).toContain('has this name but is not in the lockfile: `apply --adopt` takes it over');
  });

  it('does not match by name when the spec has an appName', () => {
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl', { appName: 'something-else' }))];
    expect(onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile: lockfileOf(), live })).action).toBe('create');
  });

  it('adopts with impact none when the live endpoint already matches', () => {
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl'))];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile: lockfileOf(), live }));
    expect(change).toMatchObject({ action: 'adopt', id: ID_A, impact: 'none', fields: [] });
  });

  it('refuses to guess between two candidates, naming both ids and the import command', () => {
    const config = endpointConfig('sdxl');
    delete config.appName;
    const live = [liveEndpoint(ID_B, endpointConfig('sdxl', { appName: ID_B })), liveEndpoint(ID_A, endpointConfig('sdxl', { appName: ID_A }))];
    const plan = () => assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile: lockfileOf(), live });
    expect(plan).toThrow(AmbiguousAdoptionError);
    expect(plan).toThrow(new RegExp(`${ID_B}, ${ID_A}.*ppio-deploy import sdxl`));
    try {
      plan();
    } catch (error) {
      expect((error as AmbiguousAdoptionError).candidateIds).toEqual([ID_B, ID_A]);
      expect((error as AmbiguousAdoptionError).exitCode).toBe(1);
    }
  });

  it('never adopts a live endpoint another lockfile entry holds', () => {
    const config = endpointConfig('sdxl');
    delete config.appName;
    const other = endpointConfig('other');
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl', { appName: 'other' }))];
    // "other" is being removed from the specs: its endpoint is deleted, not handed to sdxl.
    const lockfile = lockfileOf({ other: lockEntry(ID_A, other) });
    const plan = assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile, live });
    expect(plan.changes.map((c) => [c.name, c.action, c.id])).toEqual([
      ['other', 'delete', ID_A],
      ['sdxl', 'create', undefined],
    ]);
  });

  it('does not count a claimed endpoint towards an ambiguity', () => {
    const config = endpointConfig('sdxl');
    delete config.appName;
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl', { appName: ID_A })), liveEndpoint(ID_B, endpointConfig('sdxl', { appName: ID_B }))];
    const lockfile = lockfileOf({ twin: lockEntry(ID_B, endpointConfig('sdxl', { appName: ID_B })) });
    const desired = [desiredEndpoint('sdxl', { config }), desiredEndpoint('twin', { config: endpointConfig('sdxl', { appName: ID_B }) })];
    const plan = assemblePlan({ desired, lockfile, live });
    expect(plan.changes.map((c) => [c.name, c.action, c.id])).toEqual([
      ['sdxl', 'adopt', ID_A],
      ['twin', 'noop', ID_B],
    ]);
  });

  it('adopts the endpoint a pending create from an interrupted apply left behind', () => {
    const lockfile = lockfileOf({}, [{ name: 'sdxl', appName: 'sdxl', source: 'endpoints/sdxl.yaml' }]);
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl'))];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile, live }));
    // Not an adoption (which would need --adopt): ppio-deploy made it, and apply records it.
    expect(change).toMatchObject({ action: 'create', id: ID_A });
    expect(change.note).toBe(
      `an earlier apply was interrupted after creating it as ${ID_A}: apply records that endpoint instead of creating another`,
    );
  });

  it('finds the pending create by its recorded appName even after the spec changed it, and replaces it', () => {
    const lockfile = lockfileOf({}, [{ name: 'sdxl', appName: 'sdxl-old', source: 'endpoints/sdxl.yaml' }]);
    const live = [liveEndpoint(ID_A, endpointConfig('sdxl', { appName: 'sdxl-old' }))];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl')], lockfile, live }));
    expect(change).toMatchObject({ action: 'replace', id: ID_A, impact: 'new-endpoint' });
    expect(change.fields).toEqual([{ path: '/appName', before: 'sdxl-old', after: 'sdxl' }]);
  });

  it('adopts an unclaimed same-appName endpoint when the recorded one was deleted by hand', () => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const live = [liveEndpoint(ID_B, config)];
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile, live }));
    expect(change).toMatchObject({ action: 'adopt', id: ID_B });
  });
});

describe('assemblePlan: update, replace, noop', () => {
  it('turns drift made by hand back into the spec (online)', () => {
    const config = endpointConfig('sdxl');
    const drifted = withValue(config, '/workerConfig/maxNum', 7);
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile, live: [liveEndpoint(ID_A, drifted)] }));
    expect(change).toEqual({
      name: 'sdxl',
      action: 'update',
      id: ID_A,
      source: 'endpoints/sdxl.yaml',
      impact: 'scaling',
      fields: [{ path: '/workerConfig/maxNum', before: 7, after: 2, drift: true }],
    });
  });

  it('compares the spec with the lockfile offline and with the live endpoint online', () => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const desired = [desiredEndpoint('sdxl', { config })];
    const live = [liveEndpoint(ID_A, withValue(config, '/image/image', 'ghcr.io/acme/app:0.9.0'))];
    expect(onlyChange(assemblePlan({ desired, lockfile })).action).toBe('noop');
    expect(onlyChange(assemblePlan({ desired, lockfile, live })).fields).toEqual([
      { path: '/image/image', before: 'ghcr.io/acme/app:0.9.0', after: 'ghcr.io/acme/app:1.0.0', drift: true },
    ]);

    const applied = withValue(config, '/policy/value', 10);
    const offline = onlyChange(assemblePlan({ desired, lockfile: lockfileOf({ sdxl: lockEntry(ID_A, applied) }) }));
    expect(offline).toMatchObject({ action: 'update', id: ID_A, impact: 'scaling', fields: [{ path: '/policy/value', before: 10, after: 30 }] });
  });

  it('uses the recorded templates offline, not the resolved values', () => {
    const recorded = endpointConfig('sdxl', { envs: [{ key: 'TOKEN', value: '${env:TOKEN}' }] });
    const config = withValue(recorded, '/envs/0/value', 'resolved');
    const desired = [desiredEndpoint('sdxl', { config, recorded, sensitivePaths: ['/envs/0/value'] })];
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, recorded) });
    expect(onlyChange(assemblePlan({ desired, lockfile })).action).toBe('noop');
  });

  it.each([
    ['/appName', 'sdxl-v2'],
    ['/products', [{ id: '2' }]],
    ['/rootfsSize', 200],
  ])('replaces when the immutable field %s differs', (pointer, value) => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const desired = [desiredEndpoint('sdxl', { config: withValue(config, pointer, value) })];
    for (const live of [undefined, [liveEndpoint(ID_A, config)]]) {
      const change = onlyChange(assemblePlan({ desired, lockfile, live }));
      expect(change).toMatchObject({ action: 'replace', id: ID_A, impact: 'new-endpoint' });
      expect(change.fields[0]?.path.startsWith(pointer)).toBe(true);
    }
  });

  it('is a noop when nothing differs, online and offline', () => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const desired = [desiredEndpoint('sdxl', { config })];
    for (const live of [undefined, [liveEndpoint(ID_A, structuredClone(config))]]) {
      expect(onlyChange(assemblePlan({ desired, lockfile, live }))).toEqual({
        name: 'sdxl',
        action: 'noop',
        id: ID_A,
        source: 'endpoints/sdxl.yaml',
        impact: 'none',
        fields: [],
      });
    }
  });

  it('leaves appName and requestTimeout to the platform when the spec omits them', () => {
    const config = endpointConfig('sdxl');
    delete config.appName;
    delete config.workerConfig.requestTimeout;
    const live = endpointConfig('sdxl', { appName: ID_A });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config })], lockfile, live: [liveEndpoint(ID_A, live)] }));
    expect(change.action).toBe('noop');
  });

  it('compares arrays element by element, reporting added and removed elements whole', () => {
    const before = endpointConfig('sdxl', {
      envs: [
        { key: 'A', value: '1' },
        { key: 'B', value: '2' },
      ],
      volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
    });
    const after = endpointConfig('sdxl', {
      envs: [{ key: 'A', value: '9' }],
      volumeMounts: [
        { type: 'local', size: 30, mountPath: '/workspace' },
        { type: 'network', id: 'vol-1', mountPath: '/data' },
      ],
      clusterID: 'c1',
    });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, before) });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config: after })], lockfile }));
    expect(change.fields).toEqual([
      { path: '/volumeMounts/1', after: { type: 'network', id: 'vol-1', mountPath: '/data' } },
      { path: '/envs/0/value', before: '1', after: '9' },
      { path: '/envs/1', before: { key: 'B', value: '2' } },
      { path: '/clusterID', after: 'c1' },
    ]);
    expect(change.impact).toBe('rollout');
  });
});

describe('assemblePlan: delete', () => {
  it('deletes a lockfile entry that no spec names, with the lockfile source', () => {
    const lockfile = lockfileOf({ old: lockEntry(ID_A, endpointConfig('old'), 'endpoints/legacy.yaml') });
    for (const live of [undefined, [liveEndpoint(ID_A, endpointConfig('old'))]]) {
      expect(onlyChange(assemblePlan({ desired: [], lockfile, live }))).toEqual({
        name: 'old',
        action: 'delete',
        id: ID_A,
        source: 'endpoints/legacy.yaml',
        impact: 'destroy',
        fields: [],
      });
    }
  });

  it('forgets (never deletes) the entry of an endpoint that is already gone, saying so', () => {
    const lockfile = lockfileOf({ old: lockEntry(ID_A, endpointConfig('old')) });
    const change = onlyChange(assemblePlan({ desired: [], lockfile, live: [] }));
    expect(change).toMatchObject({ action: 'forget', id: ID_A, impact: 'none' });
    expect(change.note).toBe(`endpoint ${ID_A} no longer exists live: apply only removes it from the lockfile`);
  });
});

describe('assemblePlan: impact', () => {
  const cases: [string, unknown, Impact][] = [
    ['/name', 'renamed', 'metadata'],
    ['/workerConfig/minNum', 1, 'scaling'],
    ['/workerConfig/maxNum', 5, 'scaling'],
    ['/workerConfig/freeTimeout', 60, 'scaling'],
    ['/workerConfig/maxConcurrent', 8, 'scaling'],
    ['/workerConfig/requestTimeout', 600, 'scaling'],
    ['/policy/type', 'concurrency', 'scaling'],
    ['/policy/value', 5, 'scaling'],
    ['/workerConfig/gpuNum', 2, 'rollout'],
    ['/image/image', 'ghcr.io/acme/app:2.0.0', 'rollout'],
    ['/image/command', 'python serve.py', 'rollout'],
    ['/image/authId', 'auth-1', 'rollout'],
    ['/envs', [{ key: 'A', value: 'b' }], 'rollout'],
    ['/ports/0/port', 9000, 'rollout'],
    ['/volumeMounts', [{ type: 'local', size: 30, mountPath: '/w' }], 'rollout'],
    ['/clusterID', 'c1', 'rollout'],
    ['/healthy/path', '/ready', 'rollout'],
  ];

  it.each(cases)('classifies a change of %s', (pointer, value, impact) => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    const change = onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config: withValue(config, pointer, value) })], lockfile }));
    expect(change.action).toBe('update');
    expect(change.impact).toBe(impact);
  });

  it('takes the most disruptive impact of the fields', () => {
    const config = endpointConfig('sdxl');
    const lockfile = lockfileOf({ sdxl: lockEntry(ID_A, config) });
    let desiredConfig = withValue(config, '/name', 'x');
    desiredConfig = withValue(desiredConfig, '/workerConfig/maxNum', 9);
    expect(onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config: desiredConfig })], lockfile })).impact).toBe('scaling');
    desiredConfig = withValue(desiredConfig, '/image/image', 'other:1');
    expect(onlyChange(assemblePlan({ desired: [desiredEndpoint('sdxl', { config: desiredConfig })], lockfile })).impact).toBe('rollout');
  });
});

describe('assemblePlan: order and summary', () => {
  const config = (name: string) => endpointConfig(name);
  const lockfile = lockfileOf({
    'b-update': lockEntry(ID_A, config('b-update')),
    'e-noop': lockEntry(ID_B, config('e-noop')),
    'a-delete': lockEntry(ID_C, config('a-delete')),
    'f-replace': lockEntry('dddddddddddddddd', config('f-replace')),
  });
  const desired = [
    desiredEndpoint('f-replace', { config: withValue(config('f-replace'), '/rootfsSize', 50) }),
    desiredEndpoint('e-noop'),
    desiredEndpoint('d-create'),
    desiredEndpoint('c-adopt'),
    desiredEndpoint('b-update', { config: withValue(config('b-update'), '/workerConfig/maxNum', 3) }),
    desiredEndpoint('B-upper'),
  ];
  const live = [
    liveEndpoint(ID_A, config('b-update')),
    liveEndpoint(ID_B, config('e-noop')),
    liveEndpoint(ID_C, config('a-delete')),
    liveEndpoint('dddddddddddddddd', config('f-replace')),
    liveEndpoint('eeeeeeeeeeeeeeee', config('c-adopt')),
  ];

  it('sorts changes by name (code-unit order) and counts every action once', () => {
    const plan = assemblePlan({ desired, lockfile, live });
    expect(plan.changes.map((c) => `${c.name}:${c.action}`)).toEqual([
      'B-upper:create',
      'a-delete:delete',
      'b-update:update',
      'c-adopt:adopt',
      'd-create:create',
      'e-noop:noop',
      'f-replace:replace',
    ]);
    expect(plan.summary).toEqual({ create: 2, adopt: 1, update: 1, move: 0, replace: 1, delete: 1, forget: 0, noop: 1 });
    expect(plan.formatVersion).toBe(1);
  });

  it('gives the same plan whatever the input order', () => {
    const plan = assemblePlan({ desired, lockfile, live });
    const shuffled = assemblePlan({ desired: [...desired].reverse(), lockfile, live: [...live].reverse() });
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(plan));
  });

  it('plans specs named like Object.prototype members as ordinary names', () => {
    const desired = [desiredEndpoint('constructor'), desiredEndpoint('toString')];
    for (const live of [undefined, []]) {
      expect(assemblePlan({ desired, lockfile: lockfileOf(), live }).changes.map((c) => c.action)).toEqual(['create', 'create']);
    }
  });

  it('plans nothing from nothing', () => {
    expect(assemblePlan({ desired: [], lockfile: lockfileOf(), live: [] })).toEqual({
      formatVersion: 1,
      mode: 'online',
      environment: null,
      changes: [],
      unmanaged: [],
      warnings: [],
      summary: { create: 0, adopt: 0, update: 0, move: 0, replace: 0, delete: 0, forget: 0, noop: 0 },
    });
  });
});

describe('warnings about failed endpoints (the rule status and apply --wait use)', () => {
  const states = [
    ['failed', { state: 'failed', error: '', message: 'image pull failed' }, 'image pull failed'],
    ['error', { state: 'error', error: '', message: 'crashed' }, 'crashed'],
    ['an error reason in any state', { state: 'initializing', error: 'ImagePullBackOff', message: '' }, 'ImagePullBackOff'],
  ] as const;

  it.each(states)('warns about a managed endpoint whose state is %s', (_, state, reason) => {
    const config = endpointConfig('web');
    const live = [{ ...liveEndpoint(ID_A, config), state: { ...state } }];
    const plan = assemblePlan({ desired: [desiredEndpoint('web')], lockfile: lockfileOf({ web: lockEntry(ID_A, config) }), live });
    expect(plan.warnings).toEqual([{ name: 'web', message: `endpoint web (${ID_A}) is failed: ${reason}` }]);
  });

  it('says nothing about a serving or initializing endpoint', () => {
    const config = endpointConfig('web');
    for (const state of ['serving', 'initializing']) {
      const live = [{ ...liveEndpoint(ID_A, config), state: { state, error: '', message: '' } }];
      expect(assemblePlan({ desired: [desiredEndpoint('web')], lockfile: lockfileOf({ web: lockEntry(ID_A, config) }), live }).warnings).toEqual([]);
    }
  });
});
