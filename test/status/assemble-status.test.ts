import { describe, expect, it } from '@jest/globals';
import type { LiveEndpoint } from '../../src/api/types.js';
import { UNRECORDED_VALUE } from '../../src/lockfile/types.js';
import { driftedPaths } from '../../src/plan/index.js';
import { assembleStatus } from '../../src/status/index.js';
import { endpointConfig, liveEndpoint, lockEntry, lockfileOf, withValue } from '../plan/fixtures.js';

const ID_A = 'aaaaaaaaaaaaaaaa';
const ID_B = 'bbbbbbbbbbbbbbbb';

const inState = (live: LiveEndpoint, state: string, error = '', message = ''): LiveEndpoint => ({ ...live, state: { state, error, message } });

describe('driftedPaths', () => {
  const applied = endpointConfig('sdxl', {
    envs: [
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
      { key: 'HAND', value: UNRECORDED_VALUE },
    ],
  });
  const live = endpointConfig('sdxl', {
    envs: [
      { key: 'HF_TOKEN', value: 'sk-live-secret' },
      { key: 'HAND', value: 'set-by-hand' },
    ],
  });

  it('is empty when the live endpoint runs what was applied, secrets and unrecorded values included', () => {
    expect(driftedPaths(applied, live)).toEqual([]);
  });

  it('names each field changed by hand', () => {
    const changed = withValue(withValue(live, '/workerConfig/maxNum', 9), '/image/image', 'ghcr.io/acme/app:hotfix');
    expect(driftedPaths(applied, changed)).toEqual(['/workerConfig/maxNum', '/image/image']);
  });

  it('does not count a field the platform filled in where the spec left it out', () => {
    const sent = withValue(withValue(applied, '/appName', undefined), '/workerConfig/requestTimeout', undefined);
    expect(driftedPaths(sent, live)).toEqual([]);
  });
});

describe('assembleStatus', () => {
  const config = endpointConfig('sdxl');

  it('is healthy when every managed endpoint is serving and matches the lockfile; unmanaged ones do not count', () => {
    const report = assembleStatus({
      lockfile: lockfileOf({ sdxl: lockEntry(ID_A, config) }),
      live: [liveEndpoint(ID_A, config), inState(liveEndpoint(ID_B, endpointConfig('console')), 'failed', 'OOM')],
    });
    expect(report.healthy).toBe(true);
    expect(report.unmanaged).toEqual([
      {
        name: 'console',
        id: ID_B,
        state: 'failed',
        message: 'OOM',
        workers: { running: 0, min: 0, max: 2 },
        url: `https://${ID_B}-console.runsync.serverless.ppinfra.com`,
      },
    ]);
  });

  it.each([
    ['initializing', inState(liveEndpoint(ID_A, config), 'initializing'), 'initializing', undefined],
    ['a non-empty error', inState(liveEndpoint(ID_A, config), 'running', 'CrashLoop', 'exit 1'), 'failed', 'CrashLoop: exit 1'],
    ['error', inState(liveEndpoint(ID_A, config), 'error'), 'failed', 'state error'],
    ['stopped', inState(liveEndpoint(ID_A, config), 'Stopped'), 'stopped', undefined],
  ])('is not healthy when the endpoint is %s', (_label, live, state, message) => {
    const report = assembleStatus({ lockfile: lockfileOf({ sdxl: lockEntry(ID_A, config) }), live: [live] });
    expect(report.endpoints[0]?.state).toBe(state);
    expect(report.endpoints[0]?.message).toBe(message);
    expect(report.healthy).toBe(false);
  });

  it('shows no worker range for an unmanaged endpoint whose shape could not be read', () => {
    const odd = { ...liveEndpoint(ID_B, endpointConfig('async-v2')), unreadable: 'policy.type is "async"' };
    const report = assembleStatus({ lockfile: lockfileOf(), live: [odd] });
    expect(report.unmanaged[0]).toMatchObject({ name: 'async-v2', state: 'serving', workers: null });
  });

  it('counts running workers against the live range', () => {
    const live = {
      ...liveEndpoint(ID_A, config),
      workers: ['running', 'pulling', 'running'].map((state, i) => ({ id: `w${i}`, state: { state, error: '', message: '' }, healthy: true })),
    };
    const report = assembleStatus({ lockfile: lockfileOf({ sdxl: lockEntry(ID_A, config) }), live: [live] });
    expect(report.endpoints[0]?.workers).toEqual({ running: 2, min: 0, max: 2 });
  });

  it('leaves out unmanaged endpoints that are being deleted, and sorts by name', () => {
    const report = assembleStatus({
      lockfile: lockfileOf(),
      live: [
        liveEndpoint(ID_B, endpointConfig('b')),
        inState(liveEndpoint(ID_A, endpointConfig('a')), 'terminating'),
        liveEndpoint('cccccccccccccccc', endpointConfig('a')),
      ],
    });
    expect(report.unmanaged.map((endpoint) => `${endpoint.name} ${endpoint.id}`)).toEqual(['a cccccccccccccccc', `b ${ID_B}`]);
    expect(report.summary).toEqual({ managed: 0, serving: 0, failed: 0, missing: 0, drifted: 0, unmanaged: 2 });
    expect(report.healthy).toBe(true);
  });
});
