/**
 * The bundled CLI loads its program and got with the V8 code caches the build wrote
 * (dist/cli/program.cjs.cache, got.cjs.cache, see scripts/bundle-cli.js). Without one, or with
 * one V8 refuses (another Node version, other V8 flags, a damaged file), the CLI must behave
 * exactly the same, and a cache never runs code other than its file holds. got's chunk loads
 * http2-wrapper only when a request asks for HTTP/2.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { basicSpecYaml, repoRoot, tempProject } from '../helpers/cli.js';

/** A copy of the package's files, as an install has them. */
function installedCopy(): { dir: string; program: string; cache: string; cleanup(): void } {
  const copy = tempProject();
  for (const part of ['dist/cli', 'schemas', 'package.json']) cpSync(path.join(repoRoot, part), path.join(copy.dir, part), { recursive: true });
  const program = path.join(copy.dir, 'dist/cli/program.cjs');
  return { ...copy, program, cache: `${program}.cache` };
}

const config = 'specs: ["endpoints/*.{yaml,json}"]\n';
// One valid spec and two with mistakes, so the run also loads the packages bundled to load on
// first use: `yaml` to locate a diagnostic, jsonc-parser to locate a JSON syntax error.
const mixed = tempProject({
  'ppio.config.yaml': config,
  'endpoints/good.yaml': basicSpecYaml('good'),
  'endpoints/bad.yaml': basicSpecYaml('bad').replace('- port: 8080', '- port: 2222'),
  'endpoints/broken.json': '{\n  "name": "broken",\n}\n',
});
const valid = tempProject({ 'ppio.config.yaml': config, 'endpoints/good.yaml': basicSpecYaml('good') });
const copies = [installedCopy(), installedCopy()];
afterAll(() => {
  for (const folder of [mixed, valid, ...copies]) folder.cleanup();
});

function validate(root: string, project: string, nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return runBuilt(root, project, ['validate'], {}, nodeArgs);
}

function runBuilt(
  root: string,
  project: string,
  args: string[],
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const childEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '', ...env };
    execFile(
      process.execPath,
      [...nodeArgs, path.join(root, 'dist/cli/main.js'), ...args],
      { cwd: project, env: childEnv },
      (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

describe('the code cache of the bundled program', () => {
  it('changes nothing the CLI prints, whether V8 takes it, refuses it, or it is damaged or missing', async () => {
    const [copy] = copies as [ReturnType<typeof installedCopy>];
    const expected = await validate(repoRoot, mixed.dir);
    expect(expected.code).toBe(1);
    expect(expected.stdout).toContain('endpoints/bad.yaml:');
    expect(expected.stdout).toContain('reserved-port');
    expect(expected.stdout).toContain('endpoints/broken.json:3:1  error  parse-error  invalid JSON: expected a double-quoted key, found `}`');

    expect(await validate(copy.dir, mixed.dir)).toEqual(expected);
    expect(await validate(copy.dir, mixed.dir, ['--max-old-space-size=300'])).toEqual(expected);
    writeFileSync(copy.cache, 'not a code cache');
    expect(await validate(copy.dir, mixed.dir)).toEqual(expected);
    rmSync(copy.cache);
    expect(await validate(copy.dir, mixed.dir)).toEqual(expected);
  });

  it('is not used for a program edited since, even when the edit keeps its length', async () => {
    const [, copy] = copies as [unknown, ReturnType<typeof installedCopy>];
    const text = readFileSync(copy.program, 'utf8');
    const edited = text.replace('`\\u2713 ${scope} valid${warnings}`', '`\\u2713 ${scope} VALID${warnings}`');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    writeFileSync(copy.program, edited);
    expect(await validate(copy.dir, valid.dir)).toEqual({ code: 0, stdout: '✓ 1 file, 1 endpoint VALID\n', stderr: '' });
  });
});

/** What a validate loaded, as `expression` (run when the process exits) lists it on stderr. */
async function loadedByValidate(name: string, expression: string) {
  const probe = path.join(valid.dir, `${name}.cjs`);
  writeFileSync(probe, `process.on('exit', () => process.stderr.write(JSON.stringify(${expression})));\n`);
  return validate(repoRoot, valid.dir, ['--require', probe]);
}

describe('what a validate loads', () => {
  it('no file from node_modules (fdir does not look for the picomatch the bundle holds)', async () => {
    const result = await loadedByValidate('loaded-files', "Object.keys(require.cache).filter((file) => file.includes('node_modules'))");
    expect(result).toEqual({ code: 0, stdout: expect.stringContaining('valid'), stderr: '[]' });
  });

  it('not the HTTP stack (node:http, node:https, node:zlib): it makes no request', async () => {
    const result = await loadedByValidate('loaded-builtins', 'process.moduleLoadList.filter((m) => /^NativeModule (http|https|zlib)$/.test(m))');
    expect(result).toEqual({ code: 0, stdout: expect.stringContaining('valid'), stderr: '[]' });
  });
});

describe('got, bundled alone', () => {
  it('plans the same whether V8 takes its code cache, or it is damaged or missing', async () => {
    const [copy] = copies as [ReturnType<typeof installedCopy>];
    const gotCache = path.join(copy.dir, 'dist/cli/got.cjs.cache');
    const emulator = await startEmulator();
    try {
      const env = { PPIO_BASE_URL: emulator.url, PPIO_API_KEY: 'test-key' };
      const expected = await runBuilt(repoRoot, valid.dir, ['plan'], env);
      expect(expected).toEqual({ code: 0, stdout: expect.stringContaining('+ create good'), stderr: '' });
      expect(await runBuilt(copy.dir, valid.dir, ['plan'], env)).toEqual(expected);
      writeFileSync(gotCache, 'not a code cache');
      expect(await runBuilt(copy.dir, valid.dir, ['plan'], env)).toEqual(expected);
      rmSync(gotCache);
      expect(await runBuilt(copy.dir, valid.dir, ['plan'], env)).toEqual(expected);
    } finally {
      await emulator.stop();
    }
  });

  it('loads http2-wrapper (and node:http2) only when a request asks for HTTP/2', () => {
    const script = `
      const { Options } = require(${JSON.stringify(path.join(repoRoot, 'dist/cli/got.cjs'))});
      const http2Loaded = () => process.moduleLoadList.includes('NativeModule http2');
      const before = http2Loaded();
      const plain = new Options('https://example.invalid/', { http2: false }).getFallbackRequestFunction();
      const afterPlain = http2Loaded();
      const auto = new Options('https://example.invalid/', { http2: true }).getFallbackRequestFunction();
      console.log(JSON.stringify({ before, afterPlain, plain: plain === require('node:https').request, auto: typeof auto, after: http2Loaded() }));
    `;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(JSON.parse(output)).toEqual({ before: false, afterPlain: false, plain: true, auto: 'function', after: true });
  });
});
