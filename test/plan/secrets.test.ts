/**
 * Secret hygiene: no interpolated value, and no live env value the spec does not spell out in
 * plain text, ever reaches a plan (or anything rendered from it).
 */
import { describe, expect, it } from '@jest/globals';
import type { LiveEndpoint } from '../../src/api/types.js';
import type { Lockfile } from '../../src/lockfile/types.js';
import { assemblePlan, serializeSavedPlan, type Change, type Plan } from '../../src/plan/index.js';
import { formatPlanJson } from '../../src/report/plan-json.js';
import { formatPlanMarkdown } from '../../src/report/plan-markdown.js';
import { formatPlanText } from '../../src/report/plan-text.js';
import { stringSink } from '../../src/report/types.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import type { DesiredEndpoint } from '../../src/spec/types.js';
import { desiredEndpoint, endpointConfig, liveEndpoint, lockEntry, lockfileOf, withValue } from './fixtures.js';

const SECRET = 'hf_NEW_s3cr3t_value';
const OLD_SECRET = 'hf_OLD_s3cr3t_value';
const HAND_ADDED_SECRET = 'sk_live_hand_added';
const COMMAND_SECRET = 'cmd-token-s3cr3t';
const ALL_SECRETS = [SECRET, OLD_SECRET, HAND_ADDED_SECRET, COMMAND_SECRET];
const ID = '0123456789abcdef';

/** A spec whose HF_TOKEN env and command come from `${env:…}`. */
function secretSpec(name = 'sdxl', overrides: Partial<EndpointConfig> = {}): DesiredEndpoint {
  const recorded = endpointConfig(name, {
    image: { image: 'ghcr.io/acme/app:1.0.0', command: 'serve --token ${env:CMD_TOKEN}' },
    envs: [
      { key: 'MODE', value: 'fast' },
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
    ],
    ...overrides,
  });
  let config = withValue(recorded, '/envs/1/value', SECRET);
  config = withValue(config, '/image/command', `serve --token ${COMMAND_SECRET}`);
  return desiredEndpoint(name, { config, recorded, sensitivePaths: ['/envs/1/value', '/image/command'] });
}

function liveWith(id: string, config: EndpointConfig, envs: EndpointConfig['envs']): LiveEndpoint {
  return liveEndpoint(id, { ...config, envs });
}

function expectNoSecret(plan: Plan): void {
  const rendered = [JSON.stringify(plan), serializeSavedPlan(plan, { specsDigest: 'a', lockfileDigest: 'b', live: true })];
  for (const formatter of [formatPlanText, formatPlanJson, formatPlanMarkdown]) {
    for (const color of [false, true]) {
      const sink = stringSink();
      formatter(plan, sink, { color });
      rendered.push(sink.text());
    }
  }
  for (const text of rendered) for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
}

const changeOf = (plan: Plan, name = 'sdxl'): Change => plan.changes.find((change) => change.name === name) as Change;

describe('secrets never reach the plan', () => {
  it('create: the added env and command are masked, online and offline', () => {
    const spec = secretSpec();
    for (const live of [undefined, []]) {
      const plan = assemblePlan({ desired: [spec], lockfile: lockfileOf(), live });
      expectNoSecret(plan);
      const fields = changeOf(plan).fields;
      expect(fields).toContainEqual({ path: '/envs/1', after: { key: 'HF_TOKEN', value: '(sensitive)' }, sensitive: true });
      expect(fields).toContainEqual({ path: '/image/command', after: '(sensitive)', sensitive: true });
      expect(fields).toContainEqual({ path: '/envs/0', after: { key: 'MODE', value: 'fast' } });
    }
  });

  it('update online: a changed secret shows as "(sensitive value changed)"', () => {
    const spec = secretSpec();
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const live = [
      liveWith(ID, spec.config, [
        { key: 'MODE', value: 'fast' },
        { key: 'HF_TOKEN', value: OLD_SECRET },
      ]),
    ];
    const plan = assemblePlan({ desired: [spec], lockfile, live });
    expectNoSecret(plan);
    expect(changeOf(plan)).toMatchObject({
      action: 'update',
      impact: 'rollout',
      fields: [{ path: '/envs/1/value', before: '(sensitive)', after: '(sensitive value changed)', sensitive: true }],
    });
  });

  it('update online: an unchanged secret is no change at all', () => {
    const spec = secretSpec();
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveEndpoint(ID, structuredClone(spec.config))] });
    expect(changeOf(plan).action).toBe('noop');
  });

  it('update online: a changed secret command is masked on both sides', () => {
    const spec = secretSpec();
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const liveConfig = withValue(spec.config, '/image/command', `serve --token ${OLD_SECRET}`);
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveEndpoint(ID, liveConfig)] });
    expectNoSecret(plan);
    expect(changeOf(plan).fields).toEqual([{ path: '/image/command', before: '(sensitive)', after: '(sensitive value changed)', sensitive: true }]);
  });

  it('update offline: a changed template shows as "(sensitive)" on both sides', () => {
    const spec = secretSpec();
    const applied = withValue(spec.recorded, '/envs/1/value', '${env:OLD_HF_TOKEN}');
    const plan = assemblePlan({ desired: [spec], lockfile: lockfileOf({ sdxl: lockEntry(ID, applied) }) });
    expectNoSecret(plan);
    expect(JSON.stringify(plan)).not.toContain('OLD_HF_TOKEN');
    expect(changeOf(plan).fields).toEqual([{ path: '/envs/1/value', before: '(sensitive)', after: '(sensitive)', sensitive: true }]);
  });

  it('update online: a hand-added live env is removed without showing its value', () => {
    const spec = secretSpec();
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const envs = [...spec.config.envs, { key: 'STRIPE_KEY', value: HAND_ADDED_SECRET }];
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveWith(ID, spec.config, envs)] });
    expectNoSecret(plan);
    expect(changeOf(plan).fields).toEqual([{ path: '/envs/2', before: { key: 'STRIPE_KEY', value: '(sensitive)' }, sensitive: true, drift: true }]);
  });

  it('update online: removing a secret env from the spec does not print the live secret', () => {
    const spec = desiredEndpoint('sdxl', { config: endpointConfig('sdxl', { envs: [{ key: 'MODE', value: 'fast' }] }) });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const live = [
      liveWith(ID, spec.config, [
        { key: 'MODE', value: 'fast' },
        { key: 'HF_TOKEN', value: OLD_SECRET },
      ]),
    ];
    const plan = assemblePlan({ desired: [spec], lockfile, live });
    expectNoSecret(plan);
    expect(changeOf(plan).fields).toEqual([{ path: '/envs/1', before: { key: 'HF_TOKEN', value: '(sensitive)' }, sensitive: true, drift: true }]);
  });

  it('update online: a live env under another key is removed, its value hidden; envs match by key, not index', () => {
    const spec = desiredEndpoint('sdxl', { config: endpointConfig('sdxl', { envs: [{ key: 'MODE', value: 'fast' }] }) });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveWith(ID, spec.config, [{ key: 'API_KEY', value: HAND_ADDED_SECRET }])] });
    expectNoSecret(plan);
    expect(changeOf(plan).fields).toEqual([
      { path: '/envs/0', after: { key: 'MODE', value: 'fast' }, drift: true },
      { path: '/envs/0', before: { key: 'API_KEY', value: '(sensitive)' }, sensitive: true, drift: true },
    ]);
  });

  it('update online: a value the spec no longer interpolates stays hidden, because the lockfile recorded it as a secret', () => {
    // Applied with both values from ${env:…}; the spec now spells both fields in plain text.
    const before = secretSpec();
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, before.recorded) });
    let plain = withValue(before.recorded, '/envs/1/value', 'plain');
    plain = withValue(plain, '/image/command', 'serve');
    const spec: DesiredEndpoint = { ...before, config: plain, recorded: plain, sensitivePaths: [] };
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveWith(ID, before.config, before.config.envs)] });
    expectNoSecret(plan);
    expect(changeOf(plan).fields).toEqual([
      { path: '/image/command', before: '(sensitive)', after: 'serve', sensitive: true },
      { path: '/envs/1/value', before: '(sensitive)', after: 'plain', sensitive: true },
    ]);
  });

  it('update online: a live env value is never shown, even where the spec spells the env in plain text', () => {
    const spec = desiredEndpoint('sdxl', { config: endpointConfig('sdxl', { envs: [{ key: 'MODE', value: 'fast' }] }) });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, spec.recorded) });
    const plan = assemblePlan({ desired: [spec], lockfile, live: [liveWith(ID, spec.config, [{ key: 'MODE', value: 'slow' }])] });
    expect(changeOf(plan).fields).toEqual([{ path: '/envs/0/value', before: '(sensitive)', after: 'fast', sensitive: true, drift: true }]);
    expect(JSON.stringify(plan)).not.toContain('slow');
  });

  it('replace: an immutable change with secrets on both sides leaks neither', () => {
    const spec = secretSpec('sdxl', { rootfsSize: 200 });
    const lockfile = lockfileOf({ sdxl: lockEntry(ID, secretSpec().recorded) });
    const liveConfig = withValue(secretSpec().config, '/envs/1/value', OLD_SECRET);
    const plan = assemblePlan({
      desired: [spec],
      lockfile,
      live: [liveWith(ID, liveConfig, [...liveConfig.envs, { key: 'X', value: HAND_ADDED_SECRET }])],
    });
    expectNoSecret(plan);
    expect(changeOf(plan).action).toBe('replace');
    expect(changeOf(plan).fields).toContainEqual({
      path: '/envs/1/value',
      before: '(sensitive)',
      after: '(sensitive value changed)',
      sensitive: true,
    });
  });

  it('adopt: the live endpoint found by appName leaks no secret', () => {
    const spec = secretSpec();
    const liveConfig = withValue(spec.config, '/image/command', `serve --token ${OLD_SECRET}`);
    const live = [
      liveWith(ID, liveConfig, [
        { key: 'HF_TOKEN', value: OLD_SECRET },
        { key: 'OTHER', value: HAND_ADDED_SECRET },
      ]),
    ];
    const plan = assemblePlan({ desired: [spec], lockfile: lockfileOf(), live });
    expectNoSecret(plan);
    expect(changeOf(plan)).toMatchObject({ action: 'adopt', id: ID });
    expect(changeOf(plan).fields.every((field) => field.path.startsWith('/envs') || field.path === '/image/command')).toBe(true);
  });

  it('delete: nothing of the deleted endpoint is printed', () => {
    const gone = secretSpec('old');
    const lockfile: Lockfile = lockfileOf({ old: lockEntry(ID, gone.recorded) });
    for (const live of [undefined, [liveEndpoint(ID, gone.config)]]) {
      const plan = assemblePlan({ desired: [], lockfile, live });
      expectNoSecret(plan);
      expect(changeOf(plan, 'old')).toMatchObject({ action: 'delete', fields: [] });
    }
  });
});
