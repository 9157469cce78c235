/** What a newcomer does first: the demo, and validating the shipped examples. */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';

function runDemo(): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['PPIO_API_KEY'];
    delete env['PPIO_BASE_URL'];
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/demo/run-demo.js')], { cwd: repoRoot, env });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('npm run demo', () => {
  it('runs validate → plan → apply → plan against the embedded emulator with no credentials', async () => {
    const { code, output } = await runDemo();
    expect(code).toBe(0);
    const steps = [
      '$ ppio-deploy validate',
      '$ ppio-deploy plan --detailed-exitcode',
      '$ ppio-deploy apply --auto-approve --wait',
      '$ ppio-deploy plan --detailed-exitcode',
    ];
    let from = 0;
    for (const step of steps) {
      const at = output.indexOf(step, from);
      expect({ step, found: at >= 0 }).toEqual({ step, found: true });
      from = at + step.length;
    }
    expect(output).toContain('Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.');
    expect(output).toContain('Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(output).toMatch(/serving after/);
    expect(output).toContain('No changes. Endpoints match the specs.');
    expect(output).not.toContain('hf_demo_not_a_real_token');
  }, 60_000);
});

describe('examples/', () => {
  it('validates as a whole from the examples folder', async () => {
    const result = await runCli(['validate', '--format', 'json'], { cwd: path.join(repoRoot, 'examples') });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { valid: boolean; files: number; endpoints: number };
    expect(report).toMatchObject({ valid: true, files: 6, endpoints: 8 });
  });
});
