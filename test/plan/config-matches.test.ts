import { describe, expect, it } from '@jest/globals';
import { assemblePlan, configMatches } from '../../src/plan/index.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import { desiredEndpoint, endpointConfig, liveEndpoint, lockEntry, lockfileOf, withValue } from './fixtures.js';

const ID = '2f9fb35f70c5b595';
const spec = endpointConfig('sdxl');
const live = endpointConfig('sdxl');

const cases: [string, EndpointConfig, EndpointConfig, boolean][] = [
  ['the same config', spec, live, true],
  ['a spec without appName (the platform set it)', withValue(spec, '/appName', undefined), withValue(live, '/appName', ID), true],
  [
    'a spec without requestTimeout (the platform set it)',
    withValue(spec, '/workerConfig/requestTimeout', undefined),
    withValue(live, '/workerConfig/requestTimeout', 60),
    true,
  ],
  ['a requestTimeout the spec sets and live differs from', spec, withValue(live, '/workerConfig/requestTimeout', 60), false],
  ['a requestTimeout the spec sets and live lacks', spec, withValue(live, '/workerConfig/requestTimeout', undefined), false],
  ['a different maxNum', withValue(spec, '/workerConfig/maxNum', 8), live, false],
  ['an extra env on the live side', spec, withValue(live, '/envs', [{ key: 'A', value: '1' }]), false],
];

describe('configMatches: apply judges a live config exactly as the planner does', () => {
  it.each(cases)('%s', (_case, desired, current, matches) => {
    expect(configMatches(desired, current)).toBe(matches);
    const plan = assemblePlan({
      desired: [desiredEndpoint('sdxl', { config: desired })],
      lockfile: lockfileOf({ sdxl: lockEntry(ID, desired) }),
      live: [liveEndpoint(ID, current)],
    });
    expect(plan.changes.map((change) => change.action)).toEqual([matches ? 'noop' : 'update']);
  });
});
