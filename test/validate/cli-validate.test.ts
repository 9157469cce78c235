import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';

const fixture = (name: string) => path.join(repoRoot, 'test/fixtures/validate', name);
const validate = (name: string, ...args: string[]) => runCli(['validate', ...args], { cwd: fixture(name) });

interface JsonReport {
  valid: boolean;
  files: number;
  endpoints: number;
  errors: Record<string, unknown>[];
  warnings: Record<string, unknown>[];
}

describe('ppio-deploy validate (built CLI, fixtures named for their case)', () => {
  it('valid: exit 0 and a one-line summary', async () => {
    const result = await validate('valid');
    expect(result).toMatchObject({ code: 0, stdout: '✓ 2 files, 3 endpoints valid\n' });
  });

  it('reserved-port: exit 1, file:line:col, rule, message and a code frame', async () => {
    const result = await validate('reserved-port');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        'endpoints/api.yaml:15:11  error  reserved-port  port 2222 is reserved by the platform',
        '  14 | ports:',
        '  15 |   - port: 2222',
        '     |           ^',
        '',
        '1 error in 1 file (1 endpoint)',
        '',
      ].join('\n'),
    );
  });

  it('unknown-key: points at the key and suggests the right one', async () => {
    const result = await validate('unknown-key');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('endpoints/api.yaml:7:1  error  unknown-key  unknown key `workerconfig` (did you mean `workerConfig`?)\n');
  });

  it('duplicate-name: reported at the second file, naming the first', async () => {
    const result = await validate('duplicate-name');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('endpoints/b.yaml:2:7  error  duplicate-name  name `shared` is already used in endpoints/a.yaml:2\n');
  });

  it('cluster-required: at the network mount', async () => {
    const result = await validate('cluster-required');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('endpoints/api.yaml:23:11  error  cluster-required  `clusterID` is required when a network volume is mounted\n');
  });

  it('json-spec: positions inside a JSON file', async () => {
    const result = await validate('json-spec', '--format', 'json');
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).errors).toEqual([
      {
        file: 'endpoints/api.json',
        line: 17,
        column: 15,
        path: '/ports/0/port',
        rule: 'reserved-port',
        message: 'port 2223 is reserved by the platform',
      },
    ]);
  });

  it('plaintext-secret: a warning, exit 0, and the value is in no output format', async () => {
    for (const format of ['text', 'json', 'github']) {
      const result = await validate('plaintext-secret', '--format', format);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('plaintext-secret');
      expect(result.stdout + result.stderr).not.toContain('SuperSecret');
    }
  });

  it('--format json: exactly one JSON document with the documented shape', async () => {
    const result = await validate('reserved-port', '--format', 'json');
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      files: 1,
      endpoints: 1,
      errors: [
        {
          file: 'endpoints/api.yaml',
          line: 15,
          column: 11,
          path: '/ports/0/port',
          rule: 'reserved-port',
          message: 'port 2222 is reserved by the platform',
        },
      ],
      warnings: [],
    });
  });

  it('--format json on a file that does not parse is still one JSON document', async () => {
    const result = await validate('invalid-yaml', '--format', 'json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report).toMatchObject({ valid: false, files: 1, endpoints: 0, warnings: [] });
    expect(report.errors).toEqual([expect.objectContaining({ file: 'endpoints/api.yaml', line: 4, column: 1, rule: 'parse-error' })]);
  });

  it('--format json on a valid project', async () => {
    const result = await validate('valid', '--format', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ valid: true, files: 2, endpoints: 3, errors: [], warnings: [] });
  });

  it('--format github: workflow-command annotations', async () => {
    const result = await validate('duplicate-name', '--format', 'github');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        '::error file=endpoints/b.yaml,line=2,col=7,title=duplicate-name::name `shared` is already used in endpoints/a.yaml:2',
        '1 error in 2 files (2 endpoints)',
        '',
      ].join('\n'),
    );
  });

  it('--format github: warnings are ::warning', async () => {
    const result = await validate('plaintext-secret', '--format', 'github');
    expect(result.stdout.split('\n')[0]).toMatch(
      /^::warning file=endpoints\/api\.yaml,line=28,col=12,title=plaintext-secret::env `HF_TOKEN` looks like a secret/,
    );
  });

  it('bad-config: config errors are reported with the config file position', async () => {
    const result = await validate('bad-config', '--format', 'json');
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).errors).toEqual([
      expect.objectContaining({ file: 'ppio.config.yaml', line: 3, column: 1, rule: 'unknown-key' }),
    ]);
  });

  it('--cwd: files are relative to the given working directory', async () => {
    const result = await runCli(['validate', '--cwd', 'test/fixtures/validate/reserved-port', '--format', 'github'], { cwd: repoRoot });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error file=endpoints/api.yaml,line=15,col=11,title=reserved-port::');
  });

  it('--remote without PPIO_API_KEY is a clear usage error', async () => {
    const result = await validate('valid', '--remote');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PPIO_API_KEY');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
