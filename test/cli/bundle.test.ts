/**
 * The bundled CLI loads its program with the V8 code cache the build wrote
 * (dist/cli/program.cjs.cache, see scripts/bundle-cli.js). Without it, or with one V8 refuses
 * (another Node version, other V8 flags, a damaged file), the CLI must behave exactly the same.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicSpecYaml, repoRoot, tempProject } from '../helpers/cli.js';

const installed = tempProject();
for (const part of ['dist/cli', 'schemas', 'package.json']) cpSync(path.join(repoRoot, part), path.join(installed.dir, part), { recursive: true });
const cache = path.join(installed.dir, 'dist/cli/program.cjs.cache');

// One valid spec and one with a mistake, so the run also locates a diagnostic (the `yaml` file).
const project = tempProject({
  'ppio.config.yaml': 'specs: ["endpoints/*.yaml"]\n',
  'endpoints/good.yaml': basicSpecYaml('good'),
  'endpoints/bad.yaml': basicSpecYaml('bad').replace('- port: 8080', '- port: 2222'),
});
afterAll(() => {
  installed.cleanup();
  project.cleanup();
});

function validate(root: string, nodeArgs: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '' };
    execFile(process.execPath, [...nodeArgs, path.join(root, 'dist/cli/main.js'), 'validate'], { cwd: project.dir, env }, (error, stdout, stderr) =>
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr }),
    );
  });
}

describe('the code cache of the bundled program', () => {
  it('changes nothing the CLI prints, whether V8 takes it, refuses it, or it is damaged or missing', async () => {
    const expected = await validate(repoRoot);
    expect(expected.code).toBe(1);
    expect(expected.stdout).toContain('endpoints/bad.yaml:');
    expect(expected.stdout).toContain('reserved-port');

    expect(await validate(installed.dir)).toEqual(expected);
    expect(await validate(installed.dir, ['--max-old-space-size=300'])).toEqual(expected);
    writeFileSync(cache, 'not a code cache');
    expect(await validate(installed.dir)).toEqual(expected);
    rmSync(cache);
    expect(await validate(installed.dir)).toEqual(expected);
  });
});
