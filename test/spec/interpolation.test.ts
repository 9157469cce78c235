import { describe, expect, it } from '@jest/globals';
import type { Spec } from '../../src/schema/definitions.js';
import { findInterpolationProblems } from '../../src/common/template.js';
import { parseSpecText, resolveDesired, type SpecDocument, type ValidSpec } from '../../src/spec/index.js';

const SPEC_TEXT = [
  'name: sdxl', //                                   1
  'image:', //                                       2
  '  image: "${env:REGISTRY}/sdxl:1.0"', //          3
  '  authId: "${env:AUTH_ID}"', //                   4
  '  command: "echo $${HOME} costs $5"', //          5
  'workerConfig: {minNum: 0, maxNum: 2, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1}',
  'ports: [{port: 8080}]',
  'policy: {type: queue, value: 30}',
  'products: [{id: "1"}]',
  'rootfsSize: 100',
  'volumeMounts: []',
  'envs:', //                                        12
  '  - {key: HF_TOKEN, value: "${env:HF_TOKEN}"}', // 13
  '  - {key: PLAIN, value: "no secrets here"}', //   14
  '  - {key: MIXED, value: "Bearer ${env:HF_TOKEN}!"}', // 15
  'healthy: {path: /health}',
  '',
].join('\n');

function load(text: string): SpecDocument {
  const { documents, diagnostics } = parseSpecText(text, 'endpoints/sdxl.yaml', '/abs/endpoints/sdxl.yaml');
  expect(diagnostics).toEqual([]);
  return documents[0] as SpecDocument;
}

const valid = (document: SpecDocument): ValidSpec => ({ document, spec: document.value as Spec });

const ENV = { REGISTRY: 'ghcr.io/acme', AUTH_ID: 'auth-1', HF_TOKEN: 'hf_secret' };

describe('resolveDesired', () => {
  const document = load(SPEC_TEXT);

  it('replaces ${env:NAME} in the config and unescapes $${', () => {
    const { desired, diagnostics } = resolveDesired([valid(document)], ENV);
    expect(diagnostics).toEqual([]);
    expect(desired).toHaveLength(1);
    const endpoint = desired[0];
    expect(endpoint?.name).toBe('sdxl');
    expect(endpoint?.source).toBe('endpoints/sdxl.yaml');
    expect(endpoint?.config.image).toEqual({ image: 'ghcr.io/acme/sdxl:1.0', authId: 'auth-1', command: 'echo ${HOME} costs $5' });
    expect(endpoint?.config.envs).toEqual([
      { key: 'HF_TOKEN', value: 'hf_secret' },
      { key: 'PLAIN', value: 'no secrets here' },
      { key: 'MIXED', value: 'Bearer hf_secret!' },
    ]);
  });

  it('records each interpolated value whole as its template, and lists its path', () => {
    const [endpoint] = resolveDesired([valid(document)], ENV).desired;
    expect(endpoint?.recorded.image).toEqual({ image: '${env:REGISTRY}/sdxl:1.0', authId: '${env:AUTH_ID}', command: 'echo ${HOME} costs $5' });
    expect(endpoint?.recorded.envs).toEqual([
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
      { key: 'PLAIN', value: 'no secrets here' },
      { key: 'MIXED', value: 'Bearer ${env:HF_TOKEN}!' },
    ]);
    expect(endpoint?.sensitivePaths).toEqual(['/image/image', '/image/authId', '/envs/0/value', '/envs/2/value']);
    expect(JSON.stringify(endpoint?.recorded)).not.toContain('hf_secret');
    expect({ ...endpoint?.recorded, image: undefined, envs: undefined }).toEqual({ ...endpoint?.config, image: undefined, envs: undefined });
  });

  it('a missing variable is an error at the line of its value', () => {
    const { desired, diagnostics } = resolveDesired([valid(document)], { REGISTRY: 'registry', AUTH_ID: 'auth-1' });
    expect(desired).toEqual([]);
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        rule: 'missing-env',
        message: 'environment variable `HF_TOKEN` is not set',
        file: 'endpoints/sdxl.yaml',
        line: 13,
        column: 28,
        path: '/envs/0/value',
      },
      expect.objectContaining({ rule: 'missing-env', line: 15, path: '/envs/2/value' }),
    ]);
  });

  it('an empty variable is used, with a warning', () => {
    const { desired, diagnostics } = resolveDesired([valid(document)], { ...ENV, AUTH_ID: '' });
    expect(diagnostics).toMatchObject([{ severity: 'warning', rule: 'empty-env', line: 4 }]);
    // An interpolated optional string that resolves to '' is dropped, in both copies.
    expect(desired[0]?.config.image.authId).toBeUndefined();
    expect(desired[0]?.recorded.image.authId).toBeUndefined();
    expect(desired[0]?.sensitivePaths).not.toContain('/image/authId');
  });

  it('only specs without errors become endpoints', () => {
    const other = load(SPEC_TEXT.replace('name: sdxl', 'name: other').replace(/\$\{env:HF_TOKEN\}/g, 'literal'));
    const { desired } = resolveDesired([valid(document), valid(other)], { REGISTRY: 'registry', AUTH_ID: 'auth-1' });
    expect(desired.map((d) => d.name)).toEqual(['other']);
  });

  it('does not touch `$schema`, which is dropped', () => {
    const withSchema = load(`$schema: "\${weird}"\n${SPEC_TEXT}`);
    const { desired, diagnostics } = resolveDesired([valid(withSchema)], ENV);
    expect(diagnostics).toEqual([]);
    expect(desired[0]?.config).not.toHaveProperty('$schema');
  });
});

describe('findInterpolationProblems (offline: variables need not be set)', () => {
  type Case = [value: string, problems: string[]];
  const cases: Case[] = [
    ['${env:HF_TOKEN}', []],
    ['a ${env:_X1} b ${env:Y}', []],
    ['$${env:NOT_A_VAR}', []],
    ['$5 and $$ and $HOME', []],
    ['${HOME}', ['bad-interpolation']],
    ['${env:}', ['bad-interpolation']],
    ['${env:1ABC}', ['bad-interpolation']],
    ['${env:A-B}', ['bad-interpolation']],
    ['${ env:A }', ['bad-interpolation']],
    ['${env:A', ['bad-interpolation']],
    ['${file:/etc/passwd}', ['bad-interpolation']],
    ['${env:A} ${oops}', ['bad-interpolation']],
  ];
  it.each(cases)('%j → %j', (value, rules) => {
    const document = load(`name: a\nenvs:\n  - key: K\n    value: ${JSON.stringify(value)}\n`);
    const problems = findInterpolationProblems(document);
    expect(problems.map((p) => p.rule)).toEqual(rules);
    for (const problem of problems) expect(problem).toMatchObject({ line: 4, column: 12, path: '/envs/0/value', file: 'endpoints/sdxl.yaml' });
  });

  it('the same malformed forms fail resolveDesired', () => {
    const document = load(SPEC_TEXT.replace('"no secrets here"', '"${PLAIN}"'));
    const { diagnostics } = resolveDesired([valid(document)], ENV);
    expect(diagnostics).toMatchObject([{ rule: 'bad-interpolation', line: 14, path: '/envs/1/value' }]);
  });

  it.each([
    ['a YAML escape', 'name: "\\x24{env:STAGE}"\n', 'endpoints/sdxl.yaml'],
    ['a JSON escape', '{"name": "\\u0024{env:STAGE}"}', 'endpoints/sdxl.json'],
  ])('a template written with %s is still a template (the text never shows `${`)', (_, text, file) => {
    const [document] = parseSpecText(text, file, `/abs/${file}`).documents;
    expect(findInterpolationProblems(document as SpecDocument)).toMatchObject([{ rule: 'interpolation-not-allowed', path: '/name' }]);
  });

  it('a template written with an escape is resolved and kept secret', () => {
    const document = load(SPEC_TEXT.replaceAll('${', '\\x24{'));
    const { desired } = resolveDesired([valid(document)], ENV);
    expect(desired[0]?.config.envs).toContainEqual({ key: 'HF_TOKEN', value: 'hf_secret' });
    expect(desired[0]?.sensitivePaths).toContain('/envs/0/value');
  });

  it.each([['name'], ['appName']])('`%s` cannot be interpolated (it names the endpoint in every output)', (field) => {
    const document = load(`${field}: "\${env:STAGE}"\n`);
    expect(findInterpolationProblems(document)).toMatchObject([{ rule: 'interpolation-not-allowed', path: `/${field}`, line: 1 }]);
  });
});
