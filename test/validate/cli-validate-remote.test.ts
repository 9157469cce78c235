import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { basicSpecYaml, runCli, tempProject } from '../helpers/cli.js';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, readyAfterMs: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

const remoteEnv = () => ({ PPIO_BASE_URL: emulator.url, PPIO_API_KEY: 'test-key' });

const networkSpec = (clusterID: string) =>
  basicSpecYaml('with-volume', 'with-volume')
    .replace('  - type: local\n    size: 30\n    mountPath: /workspace', '  - type: network\n    id: ns-7f3a9c1e2b4d6a80\n    mountPath: /models')
    .replace('rootfsSize: 100', `rootfsSize: 100\nclusterID: ${clusterID}`);

describe('ppio-deploy validate --remote (against the emulator)', () => {
  it('passes a project that fits the account', async () => {
    const project = tempProject({ 'endpoints/a.yaml': basicSpecYaml('a'), 'endpoints/b.yaml': networkSpec('cn-east-1') });
    try {
      const result = await runCli(['validate', '--remote'], { cwd: project.dir, env: remoteEnv() });
      expect(result).toMatchObject({ code: 0, stdout: '✓ 2 files, 2 endpoints valid\n' });
    } finally {
      project.cleanup();
    }
  });

  it('reports account limits, storage clusters and registry auths, located', async () => {
    const project = tempProject({
      'endpoints/a.yaml': basicSpecYaml('a').replace('maxNum: 4', 'maxNum: 2000'),
      'endpoints/b.yaml': networkSpec('us-west-1'),
      'endpoints/c.yaml': basicSpecYaml('c').replace('  command:', '  authId: auth-missing\n  command:'),
    });
    try {
      const result = await runCli(['validate', '--remote', '--format', 'json'], { cwd: project.dir, env: remoteEnv() });
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as { errors: object[] };
      expect(report.errors).toEqual([
        {
          file: 'endpoints/a.yaml',
          line: 9,
          column: 11,
          path: '/workerConfig/maxNum',
          rule: 'account-limit',
          message: 'maxNum 2000 is above the account limit 1000 (GET /endpoint/limit: maxWorkerNum)',
        },
        {
          file: 'endpoints/b.yaml',
          line: 22,
          column: 12,
          path: '/clusterID',
          rule: 'storage-cluster-mismatch',
          message: 'network storage `ns-7f3a9c1e2b4d6a80` is in cluster `cn-east-1` (China East 1), but clusterID is `us-west-1`',
        },
        {
          file: 'endpoints/c.yaml',
          line: 6,
          column: 11,
          path: '/image/authId',
          rule: 'unknown-registry-auth',
          message: 'registry auth `auth-missing` does not exist in this account (GET /repository/auths)',
        },
      ]);
      expect(result.stdout).not.toContain('test-key');
    } finally {
      project.cleanup();
    }
  });

  it('does not call the API when the specs are invalid offline', async () => {
    const project = tempProject({ 'endpoints/a.yaml': basicSpecYaml('a').replace('port: 8080', 'port: 2222') });
    const before = emulator.requestLog.length;
    try {
      const result = await runCli(['validate', '--remote'], { cwd: project.dir, env: remoteEnv() });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('reserved-port');
      expect(emulator.requestLog.length).toBe(before);
    } finally {
      project.cleanup();
    }
  });
});
