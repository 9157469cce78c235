import { describe, expect, it } from '@jest/globals';
import { validateSpecs } from '../../src/schema/index.js';
import type { SpecDocument } from '../../src/spec/types.js';
import { basicSpecYaml } from '../helpers/cli.js';
import { editedSpec, parseDocuments } from './spec-documents.js';

const located = (documents: SpecDocument[]) =>
  validateSpecs(documents).diagnostics.map(({ severity, rule, file, line, column, path, message }) => ({
    severity,
    rule,
    file,
    line,
    column,
    path,
    message,
  }));

const withEnvs = (...entries: string[]) => editedSpec([['healthy:', `envs:\n${entries.join('\n')}\nhealthy:`]]);
const env = (key: string, value: string) => `  - key: ${key}\n    value: ${value}`;

describe('project-wide rules', () => {
  it('duplicate-name: the second occurrence names the first file:line', () => {
    const documents = [
      ...parseDocuments(basicSpecYaml('sdxl', 'sdxl-a'), 'endpoints/a.yaml'),
      ...parseDocuments(basicSpecYaml('sdxl', 'sdxl-b'), 'endpoints/b.yaml'),
    ];
    expect(located(documents)).toEqual([
      {
        severity: 'error',
        rule: 'duplicate-name',
        file: 'endpoints/b.yaml',
        line: 2,
        column: 7,
        path: '/name',
        message: 'name `sdxl` is already used in endpoints/a.yaml:2',
      },
    ]);
  });

  it('duplicate-app-name across documents of one multi-document file', () => {
    const text = `${basicSpecYaml('one', 'shared')}---\n${basicSpecYaml('two', 'shared')}`;
    expect(located(parseDocuments(text, 'endpoints/all.yaml'))).toEqual([
      {
        severity: 'error',
        rule: 'duplicate-app-name',
        file: 'endpoints/all.yaml',
        line: 31,
        column: 10,
        path: '/appName',
        message: 'appName `shared` is already used in endpoints/all.yaml:3',
      },
    ]);
  });

  it('the first of two duplicates stays valid, the second does not', () => {
    const documents = [
      ...parseDocuments(basicSpecYaml('sdxl', 'sdxl-a'), 'endpoints/a.yaml'),
      ...parseDocuments(basicSpecYaml('sdxl', 'sdxl-b'), 'endpoints/b.yaml'),
    ];
    expect(validateSpecs(documents).valid.map((v) => v.document.file)).toEqual(['endpoints/a.yaml']);
  });

  it('duplicate-env-key within one endpoint', () => {
    const text = withEnvs(env('LOG_LEVEL', 'info'), env('LOG_LEVEL', 'debug'));
    expect(located(parseDocuments(text))).toEqual([
      {
        severity: 'error',
        rule: 'duplicate-env-key',
        file: 'endpoints/a.yaml',
        line: 29,
        column: 10,
        path: '/envs/1/key',
        message: 'env key `LOG_LEVEL` is already set at line 27',
      },
    ]);
  });

  it('the same env key in two endpoints is fine', () => {
    const documents = [
      ...parseDocuments(editedSpec([['healthy:', `envs:\n${env('LOG_LEVEL', 'info')}\nhealthy:`]], basicSpecYaml('a')), 'endpoints/a.yaml'),
      ...parseDocuments(editedSpec([['healthy:', `envs:\n${env('LOG_LEVEL', 'info')}\nhealthy:`]], basicSpecYaml('b')), 'endpoints/b.yaml'),
    ];
    expect(located(documents)).toEqual([]);
  });

  it('duplicate-mount-path within one endpoint', () => {
    const text = editedSpec([['    mountPath: /workspace', '    mountPath: /workspace\n  - type: local\n    size: 10\n    mountPath: /workspace']]);
    expect(located(parseDocuments(text))).toEqual([
      {
        severity: 'error',
        rule: 'duplicate-mount-path',
        file: 'endpoints/a.yaml',
        line: 28,
        column: 16,
        path: '/volumeMounts/1/mountPath',
        message: 'mountPath `/workspace` is already set at line 25',
      },
    ]);
  });

  it('worker-range: minNum above maxNum', () => {
    const text = editedSpec([['minNum: 0', 'minNum: 5']]);
    expect(located(parseDocuments(text))).toEqual([
      {
        severity: 'error',
        rule: 'worker-range',
        file: 'endpoints/a.yaml',
        line: 8,
        column: 11,
        path: '/workerConfig/minNum',
        message: 'minNum 5 is greater than maxNum 4',
      },
    ]);
  });

  it('minNum equal to maxNum is fine', () => {
    expect(located(parseDocuments(editedSpec([['minNum: 0', 'minNum: 4']])))).toEqual([]);
  });

  it('reports project rules on documents that also fail the schema', () => {
    const text = editedSpec([
      ['minNum: 0', 'minNum: 5'],
      ['port: 8080', 'port: 2222'],
    ]);
    expect(
      located(parseDocuments(text))
        .map((d) => d.rule)
        .sort(),
    ).toEqual(['reserved-port', 'worker-range']);
  });

  it('bad-interpolation: malformed ${…} is reported at its value', () => {
    const text = withEnvs(env('HF_TOKEN', '"${HF_TOKEN}"'));
    const found = located(parseDocuments(text));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', rule: 'bad-interpolation', line: 28, column: 12, path: '/envs/0/value' });
  });
});

describe('reserved-name', () => {
  for (const name of ['__proto__', 'constructor', 'prototype']) {
    it(`rejects the name ${name} at its value: the lockfile keys entries by name`, () => {
      const documents = parseDocuments(basicSpecYaml(name, 'reserved'));
      expect(located(documents)).toEqual([
        {
          severity: 'error',
          rule: 'reserved-name',
          file: 'endpoints/a.yaml',
          line: 2,
          column: 7,
          path: '/name',
          message: `name \`${name}\` is reserved (it names a member of every JavaScript object); choose another name`,
        },
      ]);
      expect(validateSpecs(documents).valid).toEqual([]);
    });
  }

  it.each(['constructor-v2', 'my-prototype', 'Constructor', 'proto'])('accepts %s', (name) => {
    expect(located(parseDocuments(basicSpecYaml(name, 'allowed')))).toEqual([]);
  });
});

describe('plaintext-secret warning', () => {
  const secretKeys = ['HF_TOKEN', 'hf_token', 'DB_PASSWORD', 'CLIENT_SECRET', 'secretSauce', 'OPENAI_API_KEY', 'aws_access_key'];
  for (const key of secretKeys) {
    it(`warns for a plain-text ${key} without printing the value`, () => {
      const found = located(parseDocuments(withEnvs(env(key, 'hunter2-plain'))));
      expect(found).toEqual([
        {
          severity: 'warning',
          rule: 'plaintext-secret',
          file: 'endpoints/a.yaml',
          line: 28,
          column: 12,
          path: '/envs/0/value',
          message: `env \`${key}\` looks like a secret but its value is plain text; use "\${env:${key}}" and set it in the environment`,
        },
      ]);
      expect(JSON.stringify(found)).not.toContain('hunter2');
    });
  }

  const notSecret: [string, string][] = [
    ['HF_TOKEN', '"${env:HF_TOKEN}"'],
    ['AUTH_PASSWORD', '"Bearer ${env:AUTH}"'],
    ['KEYBOARD', 'qwerty'],
    ['MONKEY', 'banana'],
    ['KEY_ID', 'abc'],
    ['HF_TOKEN', '""'],
  ];
  for (const [key, value] of notSecret) {
    it(`no warning for ${key}: ${value}`, () => {
      expect(located(parseDocuments(withEnvs(env(key, value))))).toEqual([]);
    });
  }

  it('a warning does not make the spec invalid', () => {
    const result = validateSpecs(parseDocuments(withEnvs(env('HF_TOKEN', 'plain'))));
    expect(result.valid).toHaveLength(1);
  });
});
