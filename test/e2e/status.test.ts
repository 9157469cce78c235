/**
 * `status` through the built CLI against the emulator: serving, failed (the emulator's
 * failing image), drifted and hand-deleted endpoints, the unmanaged ones, text and JSON, and
 * the exit codes (0 all serving, 2 any failed/missing/drifted, 1 error).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiEndpoint, basicSpecYaml, expectExit, lastLine, maskOutput, sleep, specWithImage, World } from './helpers.js';

const FAILING_IMAGE = 'ghcr.io/acme/emulator-fail:1.0';

let world: World;

beforeAll(async () => {
  world = await World.start({
    files: {
      'endpoints/alpha.yaml': basicSpecYaml('alpha'),
      'endpoints/broken.yaml': specWithImage('broken', FAILING_IMAGE),
      'endpoints/gamma.yaml': basicSpecYaml('gamma'),
    },
  });
});
afterAll(async () => world?.stop());

/** Waits (bounded) until no endpoint is initializing any more. */
async function settle(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await world.live()).some((endpoint) => endpoint.state.state === 'initializing')) return;
    await sleep(25);
  }
  throw new Error('endpoints still initializing');
}

/** Ids masked to a placeholder of the same width, so the columns still line up. */
const maskIds = (text: string) => text.replace(/\b[0-9a-f]{16}\b/g, 'ID'.padEnd(16, '.'));

const statusJson = async (code: number) => JSON.parse(expectExit(await world.cli(['status', '--format', 'json']), code).stdout);
const idOf = (name: string) => world.lockfile().endpoints[name]!.id;

describe('status', () => {
  it('needs the API key, like apply (exit 1)', async () => {
    const result = expectExit(await world.cli(['status'], { PPIO_API_KEY: undefined }), 1);
    expect(result.stderr).toContain('status needs PPIO_API_KEY');
  });

  it('exits 0 when every managed endpoint is serving, and lists the unmanaged ones after them', async () => {
    expectExit(await world.cli(['apply', '--auto-approve', '--target', 'alpha', '--target', 'gamma']), 0);
    const consoleId = await world.handCreate(apiEndpoint('console-llm'));
    await settle();

    const text = expectExit(await world.cli(['status']), 0);
    const alpha = await world.getLive(idOf('alpha'));
    expect(maskIds(text.stdout)).toBe(
      [
        'NAME   ID                STATE    RUNNING/MIN/MAX  DRIFT  URL',
        `alpha  ID..............  serving  0/0/4            -      ${maskIds(alpha.url)}`,
        `gamma  ID..............  serving  0/0/4            -      ${maskIds((await world.getLive(idOf('gamma'))).url)}`,
        '',
        'Not managed by this project (1):',
        'NAME         ID                STATE    RUNNING/MIN/MAX  URL',
        `console-llm  ID..............  serving  0/0/4            ${maskIds((await world.getLive(consoleId)).url)}`,
        '',
        'Status: 2 managed (2 serving, 0 failed, 0 missing), 0 drifted, 1 not managed.',
        '',
      ].join('\n'),
    );

    const json = await statusJson(0);
    expect(json.healthy).toBe(true);
    expect(json.endpoints[0]).toEqual({
      name: 'alpha',
      id: alpha.id,
      state: 'serving',
      workers: { running: 0, min: 0, max: 4 },
      url: alpha.url,
      drifted: false,
      driftedFields: [],
    });
    expect(json.unmanaged.map((endpoint: { name: string; id: string }) => [endpoint.name, endpoint.id])).toEqual([['console-llm', consoleId]]);
  });

  it('exits 2 and shows the platform message for a failed endpoint (the emulator failing image)', async () => {
    expectExit(await world.cli(['apply', '--auto-approve', '--target', 'broken']), 0);
    await settle();

    const text = expectExit(await world.cli(['status']), 2);
    expect(maskOutput(text.stdout)).toContain('broken  <id>  failed   0/0/4            -      https://');
    expect(text.stdout).toContain(`  # ImagePullBackOff: failed to pull image ${FAILING_IMAGE}`);
    const json = await statusJson(2);
    expect(json.endpoints.find((endpoint: { name: string }) => endpoint.name === 'broken')).toMatchObject({
      state: 'failed',
      message: `ImagePullBackOff: failed to pull image ${FAILING_IMAGE}`,
      workers: { running: 0, min: 0, max: 4 },
    });
    expect(json.healthy).toBe(false);
  });

  it('marks an endpoint changed by hand as drifted, naming the fields', async () => {
    await world.handUpdate(
      idOf('alpha'),
      apiEndpoint('alpha', 'alpha', (endpoint) => (endpoint['workerConfig'].maxNum = 6)),
    );
    await settle();
    const json = await statusJson(2);
    expect(json.endpoints.find((endpoint: { name: string }) => endpoint.name === 'alpha')).toMatchObject({
      state: 'serving',
      drifted: true,
      driftedFields: ['/workerConfig/maxNum'],
    });
    const text = expectExit(await world.cli(['status']), 2);
    expect(text.stdout).toContain('  # changed outside ppio-deploy: /workerConfig/maxNum');
  });

  it('shows a hand-deleted endpoint as missing, with the URL the lockfile recorded', async () => {
    const gamma = world.lockfile().endpoints['gamma']!;
    await world.handDelete(gamma.id);
    const json = await statusJson(2);
    expect(json.endpoints.find((endpoint: { name: string }) => endpoint.name === 'gamma')).toEqual({
      name: 'gamma',
      id: gamma.id,
      state: 'missing',
      workers: null,
      url: gamma.url,
      drifted: false,
      driftedFields: [],
    });
    expect(json.summary).toEqual({ managed: 3, serving: 1, failed: 1, missing: 1, drifted: 1, unmanaged: 1 });
    const text = expectExit(await world.cli(['status']), 2);
    expect(maskOutput(text.stdout)).toContain('gamma   <id>  missing  -');
    expect(lastLine(text.stdout)).toBe('Status: 3 managed (1 serving, 1 failed, 1 missing), 1 drifted, 1 not managed.');
  });

  it('answers one JSON document on error too (exit 1)', async () => {
    const lockfile = world.lockfileText();
    world.write('ppio.lock.json', '{"lockfileVersion": 1,');
    try {
      const result = expectExit(await world.cli(['status', '--format', 'json']), 1);
      expect(JSON.parse(result.stdout).error.kind).toBe('LockfileError');
    } finally {
      world.write('ppio.lock.json', lockfile);
    }
  });

  it('refuses a lockfile bound to another API origin (its ids mean nothing here)', async () => {
    const lockfile = world.lockfileText();
    world.write('ppio.lock.json', JSON.stringify({ ...JSON.parse(lockfile), api: 'https://api.ppio.com' }));
    try {
      const result = expectExit(await world.cli(['status']), 1);
      expect(result.stderr).toContain('ppio.lock.json records endpoints of https://api.ppio.com, but this run talks to');
    } finally {
      world.write('ppio.lock.json', lockfile);
    }
  });
});
