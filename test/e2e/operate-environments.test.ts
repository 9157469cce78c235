/**
 * status, export and forget per environment, through the built CLI against one emulator
 * account that holds both environments (the common case): each environment sees its own
 * lockfile, and another environment's endpoints are neither "not managed" nor exported.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiEndpoint, basicSpecYaml, expectExit, sleep, World } from './helpers.js';

const CONFIG = `environments:
  staging:
    vars: {suffix: "-staging"}
  prod:
    vars: {suffix: ""}
`;

let world: World;
let stagingId: string;

beforeAll(async () => {
  world = await World.start({ files: { 'ppio.config.yaml': CONFIG, 'endpoints/sdxl.yaml': basicSpecYaml('sdxl', 'sdxl${var:suffix}') } });
});
afterAll(async () => world?.stop());

async function settle(): Promise<void> {
  for (let i = 0; i < 200 && (await world.live()).some((endpoint) => endpoint.state.state === 'initializing'); i++) await sleep(25);
}

const statusJson = async (environment: string, code = 0) =>
  JSON.parse(expectExit(await world.cli(['status', '--env', environment, '--format', 'json']), code).stdout);

describe('day-to-day operation per environment', () => {
  it('status needs an environment when the project has them, naming the choices', async () => {
    const result = expectExit(await world.cli(['status']), 1);
    expect(result.stderr).toContain('this project has environments (prod, staging): choose one with --env NAME or PPIO_ENV');
  });

  it("status shows the environment's own endpoints, and not another environment's as unmanaged", async () => {
    expectExit(await world.cli(['apply', '--env', 'staging', '--auto-approve']), 0);
    stagingId = JSON.parse(world.read('ppio.staging.lock.json')).endpoints['sdxl'].id;
    await world.handCreate(apiEndpoint('console-llm'));
    await settle();

    const staging = await statusJson('staging');
    expect(staging.environment).toBe('staging');
    expect(staging.endpoints.map((endpoint: { name: string; id: string }) => [endpoint.name, endpoint.id])).toEqual([['sdxl', stagingId]]);
    expect(staging.unmanaged.map((endpoint: { name: string }) => endpoint.name)).toEqual(['console-llm']);

    const prod = await statusJson('prod');
    expect(prod.endpoints).toEqual([]);
    expect(prod.unmanaged.map((endpoint: { name: string }) => endpoint.name)).toEqual(['console-llm']);
    expect(expectExit(await world.cli(['status', '--env', 'prod']), 0).stdout.split('\n')[0]).toBe('Environment: prod');
  });

  it("export takes only what no environment manages, records it in that environment's lockfile, and warns the specs are shared", async () => {
    const result = expectExit(await world.cli(['export', '--env', 'prod']), 0);
    expect(result.stdout).toContain('  + endpoints/console-llm.yaml  console-llm');
    expect(result.stdout).toContain('The spec files are shared by every environment: plans of staging would create these endpoints');
    expect(Object.keys(JSON.parse(world.read('ppio.prod.lock.json')).endpoints)).toEqual(['console-llm']);
    expect(Object.keys(JSON.parse(world.read('ppio.staging.lock.json')).endpoints)).toEqual(['sdxl']);

    const taken = expectExit(await world.cli(['export', '--env', 'prod', stagingId]), 1);
    expect(taken.stderr).toContain(`cannot export ${stagingId}: another environment of this project manages it`);
  });

  it("forget removes the name from that environment's lockfile only", async () => {
    expectExit(await world.cli(['forget', '--env', 'staging', 'sdxl']), 0);
    expect(JSON.parse(world.read('ppio.staging.lock.json')).endpoints).toEqual({});
    expect(Object.keys(JSON.parse(world.read('ppio.prod.lock.json')).endpoints)).toEqual(['console-llm']);
    expect((await world.getLive(stagingId)).appName).toBe('sdxl-staging');
  });
});
