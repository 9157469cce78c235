import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../../src/common/errors.js';
import { planExport, type ExportInput } from '../../src/export/index.js';
import { defaultSpecFolder, matchesSpecPatterns } from '../../src/spec/index.js';
import { endpointConfig, liveEndpoint, lockEntry, lockfileOf } from '../plan/fixtures.js';

const ID_A = 'aaaaaaaaaaaaaaaa';
const ID_B = 'bbbbbbbbbbbbbbbb';
const ID_C = 'cccccccccccccccc';

const input = (overrides: Partial<ExportInput>): ExportInput => ({
  live: [],
  lockfile: lockfileOf(),
  ids: [],
  specNames: new Set(),
  specAppNames: new Map(),
  folder: 'endpoints',
  ...overrides,
});

const withEnvs = (name: string, envs: Record<string, string>) =>
  endpointConfig(name, { envs: Object.entries(envs).map(([key, value]) => ({ key, value })) });

describe('planExport: secrets', () => {
  it('writes secret-looking values as placeholders and lists each variable once', () => {
    const plan = planExport(
      input({
        live: [
          liveEndpoint(ID_A, withEnvs('a', { HF_TOKEN: 'same-secret', API_KEY: 'k-1234', MODE: 'fast', EMPTY_TOKEN: '' })),
          liveEndpoint(ID_B, withEnvs('b', { HF_TOKEN: 'same-secret' })),
        ],
      }),
    );
    expect(plan.endpoints[0]?.spec.envs).toEqual([
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
      { key: 'API_KEY', value: '${env:API_KEY}' },
      { key: 'MODE', value: 'fast' },
      { key: 'EMPTY_TOKEN', value: '' },
    ]);
    expect(plan.variables).toEqual([
      { variable: 'API_KEY', key: 'API_KEY', endpoints: ['a'] },
      { variable: 'HF_TOKEN', key: 'HF_TOKEN', endpoints: ['a', 'b'] },
    ]);
    expect(JSON.stringify(plan)).not.toContain('same-secret');
  });

  it('gives an endpoint its own variable when its value under a shared key differs', () => {
    const plan = planExport(
      input({
        live: [
          liveEndpoint(ID_A, withEnvs('llm-a', { HF_TOKEN: 'one' })),
          liveEndpoint(ID_B, withEnvs('llm-b', { HF_TOKEN: 'two' })),
          liveEndpoint(ID_C, withEnvs('c', { 'db-password': 'x' })),
        ],
      }),
    );
    expect(plan.endpoints.map((endpoint) => endpoint.spec.envs[0]?.value)).toEqual([
      '${env:HF_TOKEN}',
      '${env:HF_TOKEN_LLM_B}',
      '${env:db_password}',
    ]);
  });

  it('records the placeholders as applied, and writes other text so it reads back as itself', () => {
    const live = liveEndpoint(
      ID_A,
      endpointConfig('a', {
        image: { image: 'img:${tag}' },
        envs: [
          { key: 'X_TOKEN', value: 's3cret' },
          { key: 'T', value: '$${x}' },
        ],
      }),
    );
    const [exported] = planExport(input({ live: [live] })).endpoints;
    expect(exported?.spec.image.image).toBe('img:$${tag}');
    expect(exported?.spec.envs).toEqual([
      { key: 'X_TOKEN', value: '${env:X_TOKEN}' },
      { key: 'T', value: '$$${x}' },
    ]);
    expect(exported?.applied.image.image).toBe('img:${tag}');
    expect(exported?.applied.envs).toEqual([
      { key: 'X_TOKEN', value: '${env:X_TOKEN}' },
      { key: 'T', value: '$${x}' },
    ]);
  });
});

describe('planExport: which endpoints, names and files', () => {
  it('takes every endpoint the lockfile does not record, except those being deleted', () => {
    const recorded = liveEndpoint(ID_A, endpointConfig('a'));
    const going = { ...liveEndpoint(ID_C, endpointConfig('c')), state: { state: 'terminating', error: '', message: '' } };
    const plan = planExport(
      input({ live: [recorded, liveEndpoint(ID_B, endpointConfig('b')), going], lockfile: lockfileOf({ a: lockEntry(ID_A, endpointConfig('a')) }) }),
    );
    expect(plan.endpoints.map((endpoint) => [endpoint.name, endpoint.file])).toEqual([['b', 'endpoints/b.yaml']]);
  });

  it('leaves out one whose appName a spec already has, pointing at import', () => {
    const plan = planExport(input({ live: [liveEndpoint(ID_A, endpointConfig('console'))], specAppNames: new Map([['console', 'mine']]) }));
    expect(plan.endpoints).toEqual([]);
    expect(plan.skipped).toEqual([
      { id: ID_A, name: 'console', reason: `the spec "mine" already has its appName; record it with \`ppio-deploy import mine ${ID_A}\`` },
    ]);
  });

  it('never exports an endpoint whose shape could not be read (its config is a placeholder)', () => {
    const odd = { ...liveEndpoint(ID_A, endpointConfig('async-v2')), unreadable: 'policy.type must be "queue" or "concurrency"' };
    const plan = planExport(input({ live: [odd] }));
    expect(plan.endpoints).toEqual([]);
    expect(plan.skipped[0]?.reason).toContain('its configuration could not be read (policy.type must be');
    expect(() => planExport(input({ live: [odd], ids: [ID_A] }))).toThrow(`cannot export ${ID_A}: its configuration could not be read`);
  });

  it('refuses an unknown or managed id when ids are given', () => {
    const live = [liveEndpoint(ID_A, endpointConfig('a'))];
    expect(() => planExport(input({ live, ids: [ID_B] }))).toThrow(UsageError);
    expect(() => planExport(input({ live, ids: [ID_A], lockfile: lockfileOf({ a: lockEntry(ID_A, endpointConfig('a')) }) }))).toThrow(
      `cannot export ${ID_A}: it is already managed as "a"`,
    );
  });

  it('keeps the live name when it is free, else takes the appName, else one made from the id', () => {
    const plan = planExport(
      input({
        live: [
          liveEndpoint(ID_A, endpointConfig('taken', { appName: 'taken-app' })),
          liveEndpoint(ID_B, endpointConfig('', { appName: undefined })),
          liveEndpoint(ID_C, endpointConfig('Big Model / v2', { appName: 'big' })),
        ],
        specNames: new Set(['taken']),
        folder: '',
      }),
    );
    expect(plan.endpoints.map((endpoint) => [endpoint.name, endpoint.file])).toEqual([
      ['taken-app', 'taken-app.yaml'],
      [`endpoint-${ID_B}`, `endpoint-${ID_B}.yaml`],
      ['Big Model / v2', 'big-model-v2.yaml'],
    ]);
  });
});

describe('spec patterns', () => {
  it.each([
    [['endpoints/**/*.{yaml,yml,json}'], 'endpoints'],
    [['./specs/prod/*.yaml'], 'specs/prod'],
    [['!old/**', 'deploy'], 'deploy'],
    [['endpoints/one.yaml'], 'endpoints'],
    [['*.yaml'], ''],
  ])('%j starts in %j', (patterns, folder) => expect(defaultSpecFolder(patterns)).toBe(folder));

  it.each([
    [['endpoints/**/*.{yaml,yml,json}'], 'endpoints/a/b.yaml', true],
    [['endpoints/**/*.{yaml,yml,json}'], 'specs/b.yaml', false],
    [['deploy'], 'deploy/x.yml', true],
    [['endpoints/**/*.yaml', '!endpoints/old/**'], 'endpoints/old/x.yaml', false],
  ])('%j covers %s: %s', (patterns, file, covered) => expect(matchesSpecPatterns(patterns, file)).toBe(covered));
});
