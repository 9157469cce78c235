import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { repoRoot, runCli } from '../helpers/cli.js';

const examplesDir = path.join(repoRoot, 'examples');

/** Every example folder that is a ppio-deploy project (has specs or a config). */
const projects = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((name) => existsSync(path.join(examplesDir, name, 'endpoints')) || existsSync(path.join(examplesDir, name, 'ppio.config.yaml')))
  .sort();

describe('examples/ are valid', () => {
  it('covers the documented examples', () => {
    expect(projects).toEqual(expect.arrayContaining(['basic', 'json', 'multi-document', 'network-volume']));
  });

  for (const name of projects) {
    it(`examples/${name} validates (exit 0, no warnings)`, async () => {
      const result = await runCli(['validate', '--format', 'json'], { cwd: path.join(examplesDir, name) });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { valid: boolean; endpoints: number; warnings: unknown[] };
      expect(report.valid).toBe(true);
      expect(report.endpoints).toBeGreaterThan(0);
      expect(report.warnings).toEqual([]);
    });
  }
});

describe('examples/network-volume fits the emulator account', () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('validate --remote passes (storage in its cluster, registry auth exists)', async () => {
    const result = await runCli(['validate', '--remote'], {
      cwd: path.join(examplesDir, 'network-volume'),
      env: { PPIO_BASE_URL: emulator.url, PPIO_API_KEY: 'test-key' },
    });
    expect(result).toMatchObject({ code: 0, stdout: '✓ 1 file, 1 endpoint valid\n' });
  });
});
