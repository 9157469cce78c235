/**
 * What the real service does that the docs do not say, through the built CLI: values the
 * platform fills in, endpoints other tools made, a create that fails after it committed.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, expectExit, stopRunningWorlds, World } from './helpers.js';

afterEach(stopRunningWorlds);

/** The basic spec has no clusterID: the platform places the endpoint and fills it in. */
const specLeavingDefaults = (maxNum = 4) => basicSpecYaml('filled').replace('maxNum: 4', `maxNum: ${maxNum}`);

describe('values the platform fills in', () => {
  it('are not drift, and an update sends them back instead of resetting them', async () => {
    const world = await World.start({ files: { 'endpoints/filled.yaml': specLeavingDefaults() } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const [created] = await world.liveByAppName('filled');
    expect(created!['clusterID']).toBe('cn-east-1');
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);

    // Another tool set a CUDA version the spec has no field for.
    const { url: _url, state: _state, workers: _workers, log: _log, ...config } = created!;
    await world.handUpdate(created!.id, { ...config, workerConfig: { ...created!.workerConfig, cudaVersion: '12.4' } });

    world.write('endpoints/filled.yaml', specLeavingDefaults(6));
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const update = world.emulator.requestLog.filter((entry) => entry.path === '/endpoint/update').at(-1)!.body as Record<string, any>;
    expect(update).toMatchObject({ clusterID: 'cn-east-1', workerConfig: { maxNum: 6, requestTimeout: 120, cudaVersion: '12.4' } });
    const [updated] = await world.liveByAppName('filled');
    expect(updated!.workerConfig).toMatchObject({ maxNum: 6, requestTimeout: 120, cudaVersion: '12.4' });
    expect(updated!['clusterID']).toBe('cn-east-1');
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });
});

describe('endpoints other tools made (async, v2, console), in shapes the v1 docs do not describe', () => {
  it('do not break a plan: they are listed as not managed', async () => {
    const world = await World.start({ emulator: { oddEndpoints: true }, files: { 'endpoints/web.yaml': basicSpecYaml('web') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const plan = JSON.parse(expectExit(await world.cli(['plan', '--format', 'json', '--detailed-exitcode']), 0).stdout);
    expect(plan.changes).toEqual([]);
    expect(plan.summary).toMatchObject({ create: 0, update: 0, delete: 0, noop: 1 });
  });

  it('refuse clearly to adopt one whose shape cannot be read', async () => {
    const world = await World.start({ emulator: { oddEndpoints: true }, files: { 'endpoints/v2.yaml': basicSpecYaml('v2-chat') } });
    const result = expectExit(await world.cli(['plan']), 1);
    expect(result.stderr).toMatch(/live endpoint [0-9a-f]{16} has the appName of spec "v2-chat", but its shape could not be read/);
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('a create answered 500 after it committed', () => {
  it('converges with no duplicate endpoint', async () => {
    const world = await World.start({ emulator: { commitErrorRate: 1 }, files: { 'endpoints/once.yaml': basicSpecYaml('once') } });
    await world.cli(['apply', '--auto-approve']);
    world.emulator.setFault({ commitErrorRate: 0 });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(await world.liveByAppName('once')).toHaveLength(1);
    expect(world.recordedIds()['once']).toBe((await world.liveByAppName('once'))[0]!.id);
    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
  });
});

describe('appName', () => {
  it('is at most 46 characters, refused at its line with the reason (the URL host is one DNS label)', async () => {
    const long = 'a'.repeat(47);
    const world = await World.start({
      files: { 'endpoints/long.yaml': basicSpecYaml('long', long), 'endpoints/ok.yaml': basicSpecYaml('ok', 'b'.repeat(46)) },
    });
    const result = expectExit(await world.cli(['validate']), 1);
    expect(result.stdout + result.stderr).toMatch(
      /endpoints\/long\.yaml:3:\d+ +error .*`appName` must be at most 46 characters, got 47 \(the endpoint URL host `\{id\}-\{appName\}` is one DNS label/,
    );
    expect(result.stdout + result.stderr).not.toContain('ok.yaml:');
    expect((await world.call('POST', '/endpoint/create', { endpoint: { appName: long } })).body.message).toMatch(/at most 46 characters/);
  });
});

describe('account limits', () => {
  it('reject only by a range the account reports; an unreported one is skipped with a warning', async () => {
    const spec = basicSpecYaml('big-disk').replace('rootfsSize: 100', 'rootfsSize: 130');
    const world = await World.start({
      emulator: { catalog: { limits: { minWorkerNum: 0, maxWorkerNum: 10 } } },
      files: { 'endpoints/big-disk.yaml': spec },
    });
    const passed = expectExit(await world.cli(['validate', '--remote']), 0);
    expect(passed.stdout + passed.stderr).toMatch(
      /rootfsSize 130 is not checked against the account: GET \/endpoint\/limit does not report minRootfsSize and maxRootfsSize/,
    );
    world.write('endpoints/big-disk.yaml', spec.replace('maxNum: 4', 'maxNum: 20'));
    const refused = expectExit(await world.cli(['validate', '--remote']), 1);
    expect(refused.stdout + refused.stderr).toMatch(
      /endpoints\/big-disk\.yaml:\d+:\d+ +error +account-limit +maxNum 20 is above the account limit 10/,
    );
  });
});
