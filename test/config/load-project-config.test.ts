import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProjectConfig } from '../../src/config/index.js';
import { loadSpecs } from '../../src/spec/index.js';
import { repoRoot } from '../helpers/cli.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ppio-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let projects = 0;
/** A project folder holding `.git` (where the upward search stops), with the given files. */
function project(files: Record<string, string>): string {
  const dir = path.join(root, `p${++projects}`);
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const load = (cwd: string, options: { configPath?: string; env?: NodeJS.ProcessEnv } = {}) =>
  loadProjectConfig({ cwd, configPath: options.configPath, env: options.env ?? {} });

describe('discovery', () => {
  it.each([
    ['package.json', '{"name": "app", "ppio": {"concurrency": 3}}'],
    ['.ppiorc', 'concurrency: 3\n'],
    ['.ppiorc.yaml', 'concurrency: 3\n'],
    ['.ppiorc.yml', 'concurrency: 3\n'],
    ['.ppiorc.json', '{"concurrency": 3}'],
    ['ppio.config.yaml', 'concurrency: 3\n'],
    ['ppio.config.yml', 'concurrency: 3\n'],
    ['ppio.config.json', '{"concurrency": 3}'],
  ])('finds %s', async (name, content) => {
    const dir = project({ [name]: content });
    const { config, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ configFile: path.join(dir, name), rootDir: dir, concurrency: 3 });
  });

  it('searches upward from a nested folder, past a package.json without a `ppio` key', async () => {
    const dir = project({
      'ppio.config.yaml': 'concurrency: 5\n',
      'packages/app/package.json': '{"name": "app"}',
      'packages/app/src/deep/.keep': '',
    });
    const { config, diagnostics } = await load(path.join(dir, 'packages/app/src/deep'));
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ configFile: path.join(dir, 'ppio.config.yaml'), rootDir: dir, concurrency: 5 });
  });

  it('takes the nearest config, and the first search place within a folder', async () => {
    const dir = project({
      'ppio.config.yaml': 'concurrency: 1\n',
      'sub/ppio.config.yaml': 'concurrency: 2\n',
      'sub/.ppiorc.yaml': 'concurrency: 3\n',
    });
    const { config } = await load(path.join(dir, 'sub'));
    expect(config).toMatchObject({ configFile: path.join(dir, 'sub/.ppiorc.yaml'), concurrency: 3 });
  });

  it('stops at the repository root (the folder holding .git)', async () => {
    const outer = project({ 'ppio.config.yaml': 'concurrency: 9\n' });
    const inner = path.join(outer, 'vendored');
    mkdirSync(path.join(inner, '.git'), { recursive: true });
    const { config } = await load(inner);
    expect(config?.configFile).toBeUndefined();
    expect(config?.concurrency).toBe(8);
  });

  it('never loads code: .js/.ts configs and cosmiconfig meta configs are not even read', () => {
    const marker = path.join(root, 'code-ran');
    const payload = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = { concurrency: 64 };\n`;
    const dir = project({
      'ppio.config.js': payload,
      'ppio.config.cjs': payload,
      '.ppiorc.js': payload,
      '.ppiorc.cjs': payload,
      'ppio.config.ts': payload,
      '.config/config.cjs': payload,
      '.config/config.js': payload,
      '.config/ppiorc.cjs': payload,
    });
    // A separate process whose working directory is the project: that is where cosmiconfig
    // looks for its meta config. It loads the built module, as the CLI does.
    const script = `const { loadProjectConfig } = await import(${JSON.stringify(path.join(repoRoot, 'dist/config/index.js'))});
      const result = await loadProjectConfig({ cwd: process.cwd(), env: {} });
      process.stdout.write(JSON.stringify({ configFile: result.config?.configFile ?? null, concurrency: result.config?.concurrency }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ configFile: null, concurrency: 8 });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('--config FILE', () => {
  it('loads exactly that file, resolving paths from its folder', async () => {
    const dir = project({ 'deploy/settings.yml': 'lockfile: state/lock.json\n', 'ppio.config.yaml': 'concurrency: 1\n' });
    const { config, diagnostics } = await load(dir, { configPath: 'deploy/settings.yml' });
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({
      configFile: path.join(dir, 'deploy/settings.yml'),
      rootDir: path.join(dir, 'deploy'),
      lockfilePath: path.join(dir, 'deploy/state/lock.json'),
      concurrency: 8,
    });
  });

  it('a missing file is an error naming the flag', async () => {
    const dir = project({});
    const { config, diagnostics } = await load(dir, { configPath: 'nope.yaml' });
    expect(config).toBeUndefined();
    expect(diagnostics).toMatchObject([{ rule: 'config-not-found', file: 'nope.yaml', message: '--config nope.yaml: no such file' }]);
  });

  it('refuses a code file', async () => {
    const dir = project({ 'ppio.config.js': 'module.exports = {}' });
    const { diagnostics } = await load(dir, { configPath: 'ppio.config.js' });
    expect(diagnostics).toMatchObject([
      { rule: 'config-not-found', message: expect.stringMatching(/^--config ppio\.config\.js: code files are not loaded/) },
    ]);
  });

  it('a package.json without a `ppio` key is an error when named explicitly', async () => {
    const dir = project({ 'package.json': '{"name": "x"}' });
    const { diagnostics } = await load(dir, { configPath: 'package.json' });
    expect(diagnostics).toMatchObject([{ rule: 'config-not-found', message: expect.stringContaining('no `ppio` key') }]);
  });
});

describe('validation with positions', () => {
  it('a typo is an unknown key at its line:col, with a suggestion', async () => {
    const dir = project({ 'ppio.config.yaml': '# project config\nconcurency: 4\n' });
    const { config, diagnostics } = await load(path.join(dir));
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        severity: 'error',
        rule: 'unknown-key',
        message: 'unknown key `concurency` (did you mean `concurrency`?)',
        file: 'ppio.config.yaml',
        line: 2,
        column: 1,
        path: '/concurency',
      },
    ]);
  });

  it('suggests every key the schema allows, at the top level and in an environment', async () => {
    const dir = project({ 'ppio.config.yaml': 'maxHourlyCst: 5\nenvironments:\n  prod: {maxHourlyCst: 5, endpoints: {inclde: [a]}}\n' });
    const { diagnostics } = await load(dir);
    expect(diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['/maxHourlyCst', 'unknown key `maxHourlyCst` (did you mean `maxHourlyCost`?)'],
      ['/environments/prod/maxHourlyCst', 'unknown key `maxHourlyCst` (did you mean `maxHourlyCost`?)'],
      ['/environments/prod/endpoints/inclde', 'unknown key `inclde` (did you mean `include`?)'],
    ]);
  });

  it('positions inside package.json point into its `ppio` object; file is relative to the cwd', async () => {
    const dir = project({
      'package.json': '{\n  "name": "app",\n  "ppio": {\n    "lockfile": "x.json",\n    "specz": []\n  }\n}\n',
      'src/.keep': '',
    });
    const { diagnostics } = await load(path.join(dir, 'src'));
    expect(diagnostics).toMatchObject([
      { rule: 'unknown-key', file: '../package.json', line: 5, column: 5, message: 'unknown key `specz` (did you mean `specs`?)' },
    ]);
  });

  type Case = [content: string, rule: string, line: number, column: number, message: string];
  it.each<Case>([
    ['concurrency: "8"\n', 'type', 1, 14, 'expected an integer, got "8" (remove the quotes)'],
    ['concurrency: 0\n', 'range', 1, 14, '`concurrency` must be at least 1, got 0'],
    ['concurrency: 65\n', 'range', 1, 14, '`concurrency` must be at most 64, got 65'],
    ['baseUrl: ftp://example.com\n', 'url', 1, 10, 'baseUrl "ftp://example.com" must be an http:// or https:// URL'],
    ['baseUrl: "https://api ppio.com"\n', 'url', 1, 10, 'baseUrl "https://api ppio.com" must be an http:// or https:// URL'],
    ['specs: []\n', 'count', 1, 8, '`specs` needs at least 1 entry, got 0'],
    ['specs:\n  - ok/*.yaml\n  - 3\n', 'type', 3, 5, 'expected a string, got 3 (quote it: "3")'],
    ['lockfile: ""\n', 'length', 1, 11, '`lockfile` must not be empty'],
    ['lockfile: a\nlockfile: b\n', 'duplicate-key', 2, 1, 'duplicate key `lockfile`: it already appears earlier in the same mapping'],
    ['specs: [a\n', 'parse-error', 2, 1, 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['- a\n- b\n', 'not-an-object', 1, 1, 'the config must be a mapping of keys to values'],
  ])('%j → %s at %i:%i', async (content, rule, line, column, message) => {
    const dir = project({ 'ppio.config.yaml': content });
    const { config, diagnostics } = await load(dir);
    expect(config).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', rule, line, column, message, file: 'ppio.config.yaml' })]);
  });
});

describe('a committed baseUrl', () => {
  it.each([
    'https://api.ppio.com',
    'https://api.ppinfra.com/',
    'https://api.novita.ai',
    'http://127.0.0.1:8787',
    'http://localhost:8787',
    'https://[::1]:8443',
  ])('may be %s (an official origin or loopback)', async (url) => {
    const { config, diagnostics } = await load(project({ 'ppio.config.yaml': `concurrency: 4\nbaseUrl: ${url}\n` }));
    expect(diagnostics).toEqual([]);
    expect(config?.baseUrl).toBe(url);
  });

  it.each([
    'https://attacker.example',
    'https://api.ppio.com.attacker.example',
    'https://api.ppio.com@attacker.example',
    'http://api.ppio.com',
    'https://api.ppio.com:8443',
    'http://10.0.0.8:8787',
  ])('may not be %s: an error at its line, whatever PPIO_BASE_URL says', async (url) => {
    const dir = project({ 'ppio.config.yaml': `concurrency: 4\nbaseUrl: ${url}\n` });
    for (const env of [{}, { PPIO_BASE_URL: 'http://127.0.0.1:9000' }]) {
      const { config, diagnostics } = await load(dir, { env });
      expect(config).toBeUndefined();
      expect(diagnostics).toEqual([
        expect.objectContaining({ severity: 'error', rule: 'base-url', file: 'ppio.config.yaml', line: 2, column: 10, path: '/baseUrl' }),
      ]);
      expect(diagnostics[0]?.message).toContain(
        `\`baseUrl\` "${url}" is not an official PPIO API origin (https://api.ppio.com, https://api.ppinfra.com, https://api.novita.ai) or a loopback address`,
      );
      expect(diagnostics[0]?.message).toContain('set PPIO_BASE_URL in the environment instead');
    }
  });
});

describe('defaults and paths', () => {
  it('without a config file: defaults, relative to the cwd', async () => {
    const dir = project({});
    const { config, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      rootDir: dir,
      projectRoot: dir,
      specs: ['endpoints/**/*.{yaml,yml,json}'],
      lockfilePath: path.join(dir, 'ppio.lock.json'),
      baseUrl: 'https://api.ppio.com',
      concurrency: 8,
      apiKeyEnv: 'PPIO_API_KEY',
      vars: {},
      environments: {},
    });
  });

  it('an empty config file (only comments) is a valid config', async () => {
    const dir = project({ 'ppio.config.yaml': '# nothing yet\n' });
    const { config, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ configFile: path.join(dir, 'ppio.config.yaml'), concurrency: 8 });
  });

  it('paths resolve from the config file folder, not the cwd', async () => {
    const dir = project({ 'ppio.config.yaml': 'specs: ["deploy/*.yaml"]\nlockfile: state/ppio.lock.json\n', 'a/b/.keep': '' });
    const { config } = await load(path.join(dir, 'a/b'));
    expect(config).toMatchObject({ rootDir: dir, specs: ['deploy/*.yaml'], lockfilePath: path.join(dir, 'state/ppio.lock.json') });
  });

  it.each([
    ['PPIO_BASE_URL wins over the config', 'http://127.0.0.1:9000', 'http://127.0.0.1:9000'],
    ['the config is used when PPIO_BASE_URL is unset', undefined, 'https://api.novita.ai'],
    ['an empty PPIO_BASE_URL is ignored', '', 'https://api.novita.ai'],
  ])('%s', async (_title, envValue, expected) => {
    const dir = project({ 'ppio.config.yaml': 'baseUrl: https://api.novita.ai\n' });
    const { config } = await load(dir, { env: envValue === undefined ? {} : { PPIO_BASE_URL: envValue } });
    expect(config?.baseUrl).toBe(expected);
  });

  it('a spec pattern that matches nothing is reported at its line in the config', async () => {
    const dir = project({ 'ppio.config.yaml': 'specs:\n  - endpoints/*.yaml\n  - typo/*.yaml\n', 'endpoints/a.yaml': 'name: a\n' });
    const { config } = await load(dir);
    if (!config) throw new Error('config expected');
    const result = await loadSpecs({
      rootDir: config.rootDir,
      patterns: config.specs,
      cwd: dir,
      configFile: config.configFile,
      locatePattern: config.locateSpecPattern,
    });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        rule: 'no-spec-files',
        message: 'no spec files match `typo/*.yaml`',
        file: 'ppio.config.yaml',
        line: 3,
        column: 5,
        path: '/specs/1',
      },
    ]);
  });
});

describe('environments', () => {
  const environments = `environments:
  staging:
    lockfile: state/staging.json
    baseUrl: http://127.0.0.1:8787
    apiKeyEnv: PPIO_API_KEY_STAGING
    vars: {replicas: 1}
    patches: [overlays/staging]
  prod: {}
`;
  it('each environment gets its own lockfile, base URL, key variable and variables', async () => {
    const { selectEnvironment } = await import('../../src/environments/index.js');
    const dir = project({ 'ppio.config.yaml': `vars: {tag: v1}\n${environments}` });
    const { config, diagnostics } = await load(dir);
    expect(diagnostics).toEqual([]);
    expect(selectEnvironment(config!, { name: 'staging', from: '--env' }, {})).toMatchObject({
      lockfilePath: path.join(dir, 'state/staging.json'),
      baseUrl: 'http://127.0.0.1:8787',
      apiKeyEnv: 'PPIO_API_KEY_STAGING',
      vars: { tag: 'v1' },
      environment: { name: 'staging', vars: { replicas: 1 }, patches: ['overlays/staging'], exclude: [] },
    });
    expect(selectEnvironment(config!, { name: 'prod', from: 'PPIO_ENV' }, { PPIO_BASE_URL: 'http://127.0.0.1:9' })).toMatchObject({
      lockfilePath: path.join(dir, 'ppio.prod.lock.json'),
      baseUrl: 'http://127.0.0.1:9',
      apiKeyEnv: 'PPIO_API_KEY',
    });
  });

  it('a top-level lockfile, a shared lockfile and bad names are errors at their lines', async () => {
    const dir = project({
      'ppio.config.yaml':
        'lockfile: x.json\nvars: {bad-name: 1}\nenvironments:\n  a: {lockfile: same.json}\n  b: {lockfile: same.json, apiKeyEnv: "not a name"}\n  "c d": {}\n',
    });
    const { diagnostics } = await load(dir);
    expect(diagnostics.map((d) => [d.line, d.rule]).sort()).toEqual([
      [2, 'variable-name'],
      [5, 'env-var-name'],
      [6, 'environment-name'],
    ]);
    const fixed = project({ 'ppio.config.yaml': 'lockfile: x.json\nenvironments:\n  a: {lockfile: same.json}\n  b: {lockfile: same.json}\n' });
    expect((await load(fixed)).diagnostics.map((d) => [d.line, d.rule])).toEqual([
      [1, 'lockfile-with-environments'],
      [4, 'shared-lockfile'],
    ]);
  });
});
