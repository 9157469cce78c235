import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';

const committed = (file: string) => readFileSync(path.join(repoRoot, 'schemas', file), 'utf8');

describe('ppio-deploy schema', () => {
  it('prints the committed endpoint schema by default', async () => {
    const result = await runCli(['schema'], { cwd: os.tmpdir() });
    expect(result).toEqual({ code: 0, stdout: committed('endpoint.schema.json'), stderr: '' });
  });

  it('prints the endpoint schema by name', async () => {
    const result = await runCli(['schema', 'endpoint']);
    expect(result.stdout).toBe(committed('endpoint.schema.json'));
  });

  it('prints the config schema', async () => {
    const result = await runCli(['schema', 'config'], { cwd: os.tmpdir() });
    expect(result).toEqual({ code: 0, stdout: committed('config.schema.json'), stderr: '' });
  });

  it('refuses an unknown name with usage and exit 1, no stack trace', async () => {
    for (const name of ['spec', 'constructor']) {
      const result = await runCli(['schema', name]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`unknown schema \`${name}\`; usage: ppio-deploy schema [endpoint|config]`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
