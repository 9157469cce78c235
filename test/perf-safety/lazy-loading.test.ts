/**
 * Startup cost is part of the contract (`--version`, `--help` and `validate` are timed against
 * `node -e 0` and ajv-cli in bench/run.js). These tests pin what each path must not load:
 * NODE_DEBUG=module makes Node log every CommonJS module it loads.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli, tempProject } from '../helpers/cli.js';

const SPEC = `name: fast
appName: fast
image:
  image: ghcr.io/acme/fast:1.0.0
workerConfig: {minNum: 0, maxNum: 1, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1, requestTimeout: 60}
ports:
  - port: 8080
policy:
  type: queue
  value: 10
products:
  - id: "1"
rootfsSize: 100
volumeMounts: []
healthy:
  path: /health
`;

const valid = tempProject({ 'ppio.config.yaml': 'specs: ["endpoints/*.yaml"]\n', 'endpoints/fast.yaml': SPEC });
afterAll(() => {
  valid.cleanup();
});

/** The CommonJS packages the run loaded (by package folder name). */
async function loadedPackages(args: string[], cwd: string): Promise<{ code: number; packages: Set<string> }> {
  const result = await runCli(args, { cwd, env: { NODE_DEBUG: 'module' } });
  const packages = new Set([...result.stderr.matchAll(/node_modules\/([^/"]+)\//g)].map((match) => match[1] as string));
  return { code: result.code, packages };
}

describe('lazy loading', () => {
  it('--version loads no package at all', async () => {
    const { code, packages } = await loadedPackages(['--version'], valid.dir);
    expect(code).toBe(0);
    expect([...packages]).toEqual([]);
  });

  it('--help loads commander but no YAML parser', async () => {
    const { code, packages } = await loadedPackages(['--help'], valid.dir);
    expect(code).toBe(0);
    expect(packages.has('commander')).toBe(true);
    expect(packages.has('yaml')).toBe(false);
  });

});
