/**
 * The API's length limits, counted as the API counts them (UTF-16 code units: an emoji is
 * 2), enforced by `validate` and again by `plan` once `${env:…}` values are filled in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, runCli, tempProject } from '../helpers/cli.js';

const EMOJI = '\u{1F680}';
/** Spec text with `search` replaced once, and a name of its own. */
const spec = (name: string, search: string, replacement: string): string => {
  const text = basicSpecYaml(name);
  if (!text.includes(search)) throw new Error(`fixture text does not contain ${search}`);
  return text.replace(search, replacement);
};
const withEnvs = (name: string, envs: string): string => `${basicSpecYaml(name)}envs:\n${envs}`;

interface Reported {
  file: string;
  path: string;
  rule: string;
  message: string;
  line: number;
}

describe('validate refuses what the API refuses', () => {
  const project = tempProject({
    'endpoints/app-name.yaml': spec('app-name', 'appName: app-name', `appName: ${'a'.repeat(47)}`),
    'endpoints/env-value.yaml': withEnvs('env-value', `  - {key: BIG, value: "${'v'.repeat(65_537)}"}\n`),
    'endpoints/env-key.yaml': withEnvs('env-key', `  - {key: ${'K'.repeat(1025)}, value: x}\n`),
    'endpoints/health.yaml': spec('health', 'path: /health', `path: /${'h'.repeat(1024)}`),
    'endpoints/image.yaml': spec('image', 'image: ghcr.io/acme/sdxl:1.4.2', `image: "ghcr.io/${EMOJI.repeat(252)}"`),
    'endpoints/command.yaml': spec('command', 'command: python -m server --port 8080', `command: "${EMOJI.repeat(1024)}"`),
    'endpoints/name.yaml': spec('name-x', 'name: name-x', `name: "${EMOJI.repeat(111)}"`),
    'endpoints/at-limits.yaml': withEnvs('at-limits', `  - {key: ${'K'.repeat(1024)}, value: "${'v'.repeat(65_536)}"}\n`)
      .replace('path: /health', `path: /${'h'.repeat(1023)}`)
      .replace('image: ghcr.io/acme/sdxl:1.4.2', `image: "${EMOJI.repeat(255)}"`),
  });
  afterAll(() => project.cleanup());

  it('each value over its limit is an error at its line, counted in UTF-16 units; values at the limit pass', async () => {
    const result = await runCli(['validate', '--format', 'json'], { cwd: project.dir });
    expect(result.code).toBe(1);
    const errors = (JSON.parse(result.stdout) as { errors: Reported[] }).errors;
    const summary = errors.map(({ file, path, rule, message }) => ({ file, path, rule, message })).sort((a, b) => a.file.localeCompare(b.file));
    expect(summary).toEqual([
      {
        file: 'endpoints/app-name.yaml',
        path: '/appName',
        rule: 'length',
        message:
          '`appName` must be at most 46 characters, got 47 (the endpoint URL host `{id}-{appName}` is one DNS label, at most 63 characters, and ids have 16)',
      },
      { file: 'endpoints/command.yaml', path: '/image/command', rule: 'length', message: '`command` must be at most 2047 characters, got 2048' },
      { file: 'endpoints/env-key.yaml', path: '/envs/0/key', rule: 'length', message: '`key` must be at most 1024 characters, got 1025' },
      { file: 'endpoints/env-value.yaml', path: '/envs/0/value', rule: 'length', message: '`value` must be at most 65536 characters, got 65537' },
      { file: 'endpoints/health.yaml', path: '/healthy/path', rule: 'length', message: '`path` must be at most 1024 characters, got 1025' },
      { file: 'endpoints/image.yaml', path: '/image/image', rule: 'length', message: '`image` must be at most 511 characters, got 512' },
      { file: 'endpoints/name.yaml', path: '/name', rule: 'length', message: '`name` must be at most 220 characters, got 222' },
    ]);
  });
});

describe('plan checks the specs again once ${env:…} is filled in, before any API call', () => {
  const IMAGE = `registry.example/${'x'.repeat(600)}`;
  let project: { dir: string; cleanup(): void };
  beforeAll(() => {
    project = tempProject({
      'endpoints/product.yaml': spec('product', '  - id: "1"', '  - id: "${env:PRODUCT}"'),
      'endpoints/image.yaml': spec('image', 'image: ghcr.io/acme/sdxl:1.4.2', 'image: "${env:IMAGE}"'),
      'endpoints/keys.yaml': withEnvs('keys', '  - {key: MODEL, value: a}\n  - {key: "${env:KEY}", value: b}\n'),
    });
  });
  afterAll(() => project.cleanup());
  const env = { PRODUCT: '', IMAGE, KEY: 'MODEL' };

  it('validate passes: the templates are valid', async () => {
    expect((await runCli(['validate'], { cwd: project.dir })).code).toBe(0);
  });

  it("an empty product id, a 617-character image and a duplicate env key are errors at the templates' lines", async () => {
    const result = await runCli(['plan', '--offline'], { cwd: project.dir, env });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((line) => / {2}error {2}/.test(line));
    expect(lines).toEqual([
      'endpoints/image.yaml:5:10  error  length  `image` must be at most 511 characters, got 617 (once ${…} is filled in)',
      'endpoints/keys.yaml:30:11  error  duplicate-env-key  the value at /envs/1/key breaks rule duplicate-env-key; it comes from ${env:…}, so it is not shown (once ${…} is filled in)',
      'endpoints/product.yaml:20:9  error  length  `id` must not be empty (once ${…} is filled in)',
    ]);
    expect(`${result.stdout}${result.stderr}`).not.toContain('x'.repeat(20));
  });
});
