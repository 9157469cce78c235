import { describe, expect, it } from '@jest/globals';
import { StalePlanError, UsageError } from '../../src/common/errors.js';
import { assemblePlan, assertPlanCurrent, parseSavedPlan, serializeSavedPlan, type Plan, type PlanBasis } from '../../src/plan/index.js';
import { desiredEndpoint, endpointConfig, liveEndpoint, lockEntry, lockfileOf, withValue } from './fixtures.js';

const ID = '0123456789abcdef';
const basis: PlanBasis = { specsDigest: 'sha256:specs-1', lockfileDigest: 'sha256:lock-1', live: true };

const config = endpointConfig('sdxl');
const lockfile = lockfileOf({ sdxl: lockEntry(ID, config), old: lockEntry('ffffffffffffffff', endpointConfig('old')) });
const desired = [desiredEndpoint('sdxl', { config: withValue(config, '/workerConfig/maxNum', 4) }), desiredEndpoint('new')];
const live = [liveEndpoint(ID, config), liveEndpoint('ffffffffffffffff', endpointConfig('old'))];
const plan: Plan = assemblePlan({ desired, lockfile, live });

const caught = (run: () => unknown): Error => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('saved plans', () => {
  it('round-trips a plan and its basis', () => {
    const text = serializeSavedPlan(plan, basis);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "kind": "ppio-deploy-plan",');
    expect(parseSavedPlan(text, 'plan.json')).toEqual({ kind: 'ppio-deploy-plan', planFileVersion: 2, ...plan, basis });
  });

  it.each([
    ['not JSON', '{"kind": "ppio-deploy-plan", oops', 'plan.json is not a ppio-deploy plan: it is not valid JSON'],
    ['another JSON document', '{"lockfileVersion": 1}', 'plan.json is not a ppio-deploy plan'],
    ['an array', '[]', 'plan.json is not a ppio-deploy plan'],
    [
      'a plan saved by the version before guarded changes were held back',
      JSON.stringify({ kind: 'ppio-deploy-plan', formatVersion: 1, basis, changes: [], summary: {} }),
      'plan.json was saved by an earlier ppio-deploy, and this ppio-deploy reads plan file version 2',
    ],
    ['a future plan file', JSON.stringify({ kind: 'ppio-deploy-plan', planFileVersion: 3 }), 'plan.json was saved by plan file version 3'],
    [
      'an unknown formatVersion',
      JSON.stringify({ kind: 'ppio-deploy-plan', planFileVersion: 2, formatVersion: 7 }),
      'plan.json has plan formatVersion 7, and this ppio-deploy reads version 1',
    ],
    [
      'a plan without basis',
      JSON.stringify({ ...plan, kind: 'ppio-deploy-plan', planFileVersion: 2 }),
      'plan.json is not a valid ppio-deploy plan: `basis`',
    ],
    [
      'a bad change',
      JSON.stringify({ ...plan, kind: 'ppio-deploy-plan', planFileVersion: 2, basis, changes: [{ name: 'x', action: 'explode' }] }),
      'changes[0] is not a valid change',
    ],
    [
      'a bad summary',
      JSON.stringify({ ...plan, kind: 'ppio-deploy-plan', planFileVersion: 2, basis, summary: { create: 1 } }),
      '`summary` must count',
    ],
  ])('refuses %s, naming the file', (_case, text, message) => {
    const error = caught(() => parseSavedPlan(text, 'plan.json'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain(message);
  });

  it('does not echo the file content when it is not JSON', () => {
    const error = caught(() => parseSavedPlan('PPIO_API_KEY=sk_should_not_print', '.env'));
    expect(error.message).not.toContain('sk_should_not_print');
    expect(error.message).toContain('.env');
  });
});

describe('assertPlanCurrent', () => {
  const saved = parseSavedPlan(serializeSavedPlan(plan, basis), 'plan.json');

  it('accepts a plan whose inputs did not move', () => {
    expect(() => assertPlanCurrent(saved, { plan: assemblePlan({ desired, lockfile, live }), basis })).not.toThrow();
  });

  it('refuses when the specs changed', () => {
    const error = caught(() => assertPlanCurrent(saved, { plan, basis: { ...basis, specsDigest: 'sha256:specs-2' } }));
    expect(error).toBeInstanceOf(StalePlanError);
    expect(error.message).toBe(
      'The saved plan is stale: the spec files changed since it was made. Nothing was changed. ' +
        'Make a new plan (`ppio-deploy plan --out FILE`), review it, and apply that.',
    );
  });

  it('refuses when the lockfile changed (and says both when both did)', () => {
    const lockOnly = caught(() => assertPlanCurrent(saved, { plan, basis: { ...basis, lockfileDigest: 'sha256:lock-2' } }));
    expect(lockOnly).toBeInstanceOf(StalePlanError);
    expect(lockOnly.message).toContain('stale: the lockfile changed since it was made. Nothing was changed.');
    const both = caught(() => assertPlanCurrent(saved, { plan, basis: { ...basis, specsDigest: 'x', lockfileDigest: 'y' } }));
    expect(both.message).toContain('stale: the spec files changed and the lockfile changed since');
  });

  it('refuses when the live state moved, naming the endpoints whose change differs', () => {
    const drifted = [liveEndpoint(ID, withValue(config, '/workerConfig/maxNum', 4)), live[1]!];
    const error = caught(() => assertPlanCurrent(saved, { plan: assemblePlan({ desired, lockfile, live: drifted }), basis }));
    expect(error).toBeInstanceOf(StalePlanError);
    expect(error.message).toContain('stale: the live endpoints changed (sdxl: planned update, now noop) since it was made. Nothing was changed.');

    const adoptable = [...live, liveEndpoint('abababababababab', endpointConfig('new'))];
    const adopted = caught(() => assertPlanCurrent(saved, { plan: assemblePlan({ desired, lockfile, live: adoptable }), basis }));
    expect(adopted.message).toContain('new: planned create, now adopt');
  });

  it('notices a field that changed under the same action', () => {
    const drifted = [liveEndpoint(ID, withValue(config, '/workerConfig/maxNum', 3)), live[1]!];
    const error = caught(() => assertPlanCurrent(saved, { plan: assemblePlan({ desired, lockfile, live: drifted }), basis }));
    expect(error.message).toContain('sdxl: the update differs');
  });

  it('compares sensitive fields by path, so an offline plan applied online is not stale for its masks', () => {
    const recorded = endpointConfig('sdxl', { envs: [{ key: 'T', value: '${env:T}' }] });
    const resolved = withValue(recorded, '/envs/0/value', 'new-secret');
    const spec = desiredEndpoint('sdxl', { config: resolved, recorded, sensitivePaths: ['/envs/0/value'] });
    const oldApplied = withValue(recorded, '/envs/0/value', '${env:OLD_T}');
    const lock = lockfileOf({ sdxl: lockEntry(ID, oldApplied) });
    const offline = assemblePlan({ desired: [spec], lockfile: lock });
    const online = assemblePlan({ desired: [spec], lockfile: lock, live: [liveEndpoint(ID, withValue(recorded, '/envs/0/value', 'old-secret'))] });
    const offlineBasis = { ...basis, live: false };
    const savedOffline = parseSavedPlan(serializeSavedPlan(offline, offlineBasis), 'plan.json');
    expect(() => assertPlanCurrent(savedOffline, { plan: online, basis })).not.toThrow();
  });

  it('says an offline plan assumed a live state that is not there', () => {
    const offline = assemblePlan({ desired, lockfile });
    const savedOffline = parseSavedPlan(serializeSavedPlan(offline, { ...basis, live: false }), 'plan.json');
    const drifted = [liveEndpoint(ID, withValue(config, '/image/image', 'hand:1')), live[1]!];
    const error = caught(() => assertPlanCurrent(savedOffline, { plan: assemblePlan({ desired, lockfile, live: drifted }), basis }));
    expect(error.message).toContain('the live endpoints differ from what the offline plan assumed (sdxl: the update differs)');
  });

  it('lists at most five endpoints', () => {
    const many = Array.from({ length: 8 }, (_, i) => desiredEndpoint(`e${i}`));
    const before = parseSavedPlan(serializeSavedPlan(assemblePlan({ desired: many, lockfile: lockfileOf(), live: [] }), basis), 'p');
    const liveNow = many.map((d, i) => liveEndpoint(`${i}`.padStart(16, '0'), d.config));
    const error = caught(() => assertPlanCurrent(before, { plan: assemblePlan({ desired: many, lockfile: lockfileOf(), live: liveNow }), basis }));
    expect(error.message).toContain('e4: planned create, now adopt; and 3 more)');
  });
});
