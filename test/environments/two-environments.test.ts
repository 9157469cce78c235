/**
 * One spec set, two environments, two emulators (one per environment, each accepting only its
 * own API key), through the built CLI: different images, worker counts and appNames from
 * variables and patches; a lockfile per environment; a patch change plans in its environment only.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { basicSpecYaml, runCli, tempProject } from '../helpers/cli.js';

const STAGING_KEY = 'staging-key';
const PROD_KEY = 'prod-key';
const TAG = 'sha-abc1234';

let staging: EmulatorHandle;
let prod: EmulatorHandle;
let project: { dir: string; cleanup(): void };

const baseSpec = (name: string) =>
  basicSpecYaml(name)
    .replace(`appName: ${name}`, `appName: ${name}\${var:suffix}`)
    .replace('image: ghcr.io/acme/sdxl:1.4.2', 'image: ghcr.io/acme/sdxl:${var:IMAGE_TAG}')
    .replace('maxNum: 4', 'maxNum: "${var:maxWorkers}"');

beforeAll(async () => {
  [staging, prod] = await Promise.all([
    startEmulator({ apiKey: STAGING_KEY, readyAfterMs: 20, seed: 1 }),
    startEmulator({ apiKey: PROD_KEY, readyAfterMs: 20, seed: 2 }),
  ]);
  project = tempProject({
    'ppio.config.yaml': `vars: {IMAGE_TAG: latest}
environments:
  staging:
    baseUrl: ${staging.url}
    apiKeyEnv: PPIO_API_KEY_STAGING
    vars: {suffix: "-staging", maxWorkers: 1}
    patches: ["overlays/staging/*.yaml"]
  prod:
    baseUrl: ${prod.url}
    vars: {suffix: "", maxWorkers: 8}
    patches: ["overlays/prod/*.yaml"]
    endpoints: {exclude: ["batch-*"]}
`,
    'endpoints/sdxl.yaml': baseSpec('sdxl'),
    'endpoints/batch.yaml': baseSpec('batch-embed'),
    'overlays/staging/sdxl.yaml': 'name: sdxl\nimage:\n  image: ghcr.io/acme/sdxl-debug:${var:IMAGE_TAG}\n',
    'overlays/prod/sdxl.yaml': 'name: sdxl\nworkerConfig:\n  minNum: 1\n',
  });
});
afterAll(async () => {
  await Promise.all([staging?.stop(), prod?.stop()]);
  project?.cleanup();
});

/** Each environment's key in its own variable, as the workflow passes them. */
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: project.dir, env: { PPIO_API_KEY_STAGING: STAGING_KEY, PPIO_API_KEY: PROD_KEY, ...env }, timeoutMs: 30_000 });

async function liveEndpoints(emulator: EmulatorHandle, key: string) {
  const response = await fetch(`${emulator.url}/gpu-instance/openapi/v1/endpoints?pageSize=100&pageNum=1`, {
    headers: { Authorization: `Bearer ${key}` },
  });
  const body = (await response.json()) as {
    endpoints: { id: string; name: string; appName: string; image: { image: string }; workerConfig: Record<string, unknown> }[];
  };
  return body.endpoints.sort((a, b) => a.name.localeCompare(b.name));
}

const lockfile = (name: string) => JSON.parse(readFileSync(path.join(project.dir, name), 'utf8'));

describe('one spec set deployed to staging and prod', () => {
  it('applies each environment to its own API with its own key, variables and patches', async () => {
    const toStaging = await cli(['apply', '--env', 'staging', '--auto-approve'], { PPIO_VAR_IMAGE_TAG: TAG });
    expect(toStaging.stderr).toBe('');
    expect(toStaging.code).toBe(0);
    const toProd = await cli(['apply', '--auto-approve', '--var', `IMAGE_TAG=${TAG}`], { PPIO_ENV: 'prod' });
    expect(toProd.code).toBe(0);

    const stagingLive = await liveEndpoints(staging, STAGING_KEY);
    const prodLive = await liveEndpoints(prod, PROD_KEY);
    expect(stagingLive.map((e) => [e.name, e.appName, e.image.image, Number(e.workerConfig['maxNum'])])).toEqual([
      ['batch-embed', 'batch-embed-staging', `ghcr.io/acme/sdxl:${TAG}`, 1],
      ['sdxl', 'sdxl-staging', `ghcr.io/acme/sdxl-debug:${TAG}`, 1],
    ]);
    expect(prodLive.map((e) => [e.name, e.appName, e.image.image, Number(e.workerConfig['maxNum']), Number(e.workerConfig['minNum'])])).toEqual([
      ['sdxl', 'sdxl', `ghcr.io/acme/sdxl:${TAG}`, 8, 1],
    ]);

    const stagingLock = lockfile('ppio.staging.lock.json');
    const prodLock = lockfile('ppio.prod.lock.json');
    expect(Object.fromEntries(Object.entries(stagingLock.endpoints).map(([name, entry]: [string, any]) => [name, entry.id]))).toEqual(
      Object.fromEntries(stagingLive.map((e) => [e.name, e.id])),
    );
    expect(Object.fromEntries(Object.entries(prodLock.endpoints).map(([name, entry]: [string, any]) => [name, entry.id]))).toEqual({
      sdxl: prodLive[0]?.id,
    });
    expect(stagingLock.endpoints.sdxl.applied.image.image).toBe(`ghcr.io/acme/sdxl-debug:${TAG}`);
    expect(prodLock.endpoints.sdxl.applied.image.image).toBe(`ghcr.io/acme/sdxl:${TAG}`);
    expect(prodLock.endpoints.sdxl.applied.workerConfig.maxNum).toBe(8);
    expect(() => lockfile('ppio.lock.json')).toThrow();
  });

  it('plans no changes in either environment right after', async () => {
    for (const env of ['staging', 'prod']) {
      const plan = await cli(['plan', '--env', env, '--detailed-exitcode', '--var', `IMAGE_TAG=${TAG}`]);
      expect([env, plan.code, plan.stdout]).toEqual([env, 0, expect.stringContaining('No changes.')]);
    }
  });

  it('a change to one patch plans a change in that environment only', async () => {
    writeFileSync(path.join(project.dir, 'overlays/prod/sdxl.yaml'), 'name: sdxl\nworkerConfig:\n  minNum: 2\n');
    const prodPlan = await cli(['plan', '--env', 'prod', '--format', 'json', '--detailed-exitcode', '--var', `IMAGE_TAG=${TAG}`]);
    expect(prodPlan.code).toBe(2);
    const changed = JSON.parse(prodPlan.stdout).changes.filter((change: { action: string }) => change.action !== 'noop');
    expect(changed).toMatchObject([{ name: 'sdxl', action: 'update', fields: [{ path: '/workerConfig/minNum', before: 1, after: 2 }] }]);

    const stagingPlan = await cli(['plan', '--env', 'staging', '--detailed-exitcode', '--var', `IMAGE_TAG=${TAG}`]);
    expect(stagingPlan.code).toBe(0);
  });

  it('shows a new image tag from CI in clear in the markdown plan', async () => {
    const plan = await cli(['plan', '--env', 'staging', '--format', 'markdown'], { PPIO_VAR_IMAGE_TAG: 'sha-def5678' });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain(`ghcr.io/acme/sdxl-debug:sha-def5678`);
    expect(plan.stdout).toContain(TAG);
    expect(plan.stdout).not.toContain('(sensitive)');
    // One PR comment per environment: the hidden marker and the title name it.
    expect(plan.stdout.split('\n').slice(0, 2)).toEqual(['<!-- ppio-deploy-plan:staging -->', '## ppio-deploy plan: staging']);
    const json = await cli(['plan', '--env', 'prod', '--format', 'json'], { PPIO_VAR_IMAGE_TAG: 'sha-def5678' });
    expect(JSON.parse(json.stdout)).toMatchObject({ environment: 'prod' });
  });

  it("uses only the environment's API key variable: the other environment's key is never sent", async () => {
    const withoutStagingKey = await runCli(['apply', '--env', 'staging', '--auto-approve'], {
      cwd: project.dir,
      env: { PPIO_API_KEY: PROD_KEY, PPIO_VAR_IMAGE_TAG: TAG },
    });
    expect(withoutStagingKey.code).toBe(1);
    expect(withoutStagingKey.stderr).toContain('apply needs PPIO_API_KEY_STAGING');
  });
});

describe('a saved plan and variables', () => {
  it('apply PLANFILE refuses when a variable changed since the plan, though no file did', async () => {
    const saved = await cli(['plan', '--env', 'staging', '--out', 'staging.plan.json'], { PPIO_VAR_IMAGE_TAG: 'sha-1111111' });
    expect(saved.code).toBe(0);
    const applied = await cli(['apply', 'staging.plan.json', '--env', 'staging'], { PPIO_VAR_IMAGE_TAG: 'sha-2222222' });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('the spec files changed');
  });

  it('apply PLANFILE refuses a plan made for another environment', async () => {
    const saved = await cli(['plan', '--env', 'staging', '--out', 'staging.plan.json'], { PPIO_VAR_IMAGE_TAG: TAG });
    expect(saved.code).toBe(0);
    const applied = await cli(['apply', 'staging.plan.json', '--env', 'prod'], { PPIO_VAR_IMAGE_TAG: TAG });
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('staging.plan.json was planned for environment staging; nothing was changed. Apply it with --env staging');
  });
});

describe('the lockfile commands take --env', () => {
  it('status reads the chosen environment, and asks for one when none is chosen', async () => {
    const status = await cli(['status', '--env', 'prod', '--format', 'json']);
    expect(JSON.parse(status.stdout).endpoints.map((e: { name: string }) => e.name)).toEqual(['sdxl']);
    const missing = await cli(['status']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('this project has environments (prod, staging): choose one with --env NAME or PPIO_ENV');
  });

  it("forget removes the entry from that environment's lockfile only", async () => {
    const forgotten = await cli(['forget', 'sdxl', '--env', 'staging']);
    expect(forgotten.code).toBe(0);
    expect(Object.keys(lockfile('ppio.staging.lock.json').endpoints)).toEqual(['batch-embed']);
    expect(Object.keys(lockfile('ppio.prod.lock.json').endpoints)).toEqual(['sdxl']);
  });
});
