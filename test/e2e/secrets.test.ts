/**
 * Secret hygiene: PPIO_API_KEY and every interpolated value go to the API and nowhere else —
 * not to stdout or stderr (any format, errors and --debug included), the lockfile, a saved
 * plan, the job summary, or the journal a killed apply leaves behind.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { apiEndpoint, expectExit, replaceOnce, sleep, spawnCli, specWithEnvs, World, JOURNAL, LOCKFILE, type CliResult } from './helpers.js';

const HF_TOKEN = 'sk-e2e-SECRET-value-123';
const ROTATED = 'sk-e2e-SECRET-rotated-789';
const API_KEY = 'key-e2e-SECRET-456';
/** A secret with control characters, as a PEM key or a JSON credential has. */
const PEM_KEY = 'pem-SECRET-head\tpem-SECRET-mid\npem-SECRET-tail';
/** Any of its lines printed, raw or escaped, is a leak. */
const PEM_LINES = PEM_KEY.split(/[\t\n]/);
const DB_PASSWORD = 'pw-e2e-SECRET-000';
const SECRETS = [HF_TOKEN, ROTATED, API_KEY, DB_PASSWORD, ...PEM_LINES];
const SUMMARY = 'step-summary.md';

const secretSpec = (name: string) => specWithEnvs(name, { HF_TOKEN: '${env:HF_TOKEN}', MODEL: name });

let world: World;
/** Every stdout and stderr of every run, labelled, checked once more at the end. */
const transcript: { label: string; text: string }[] = [];

beforeAll(async () => {
  world = await World.start({
    files: { 'endpoints/sdxl.yaml': secretSpec('sdxl-turbo') },
    // The emulator accepts only the secret key: every successful call proves the key was sent.
    emulator: { apiKey: API_KEY },
    env: { PPIO_API_KEY: API_KEY, HF_TOKEN, GITHUB_STEP_SUMMARY: '' },
  });
  world.env['GITHUB_STEP_SUMMARY'] = world.file(SUMMARY);
});
afterAll(async () => world?.stop());

function expectNoSecret(label: string, text: string): void {
  for (const secret of SECRETS) {
    if (text.includes(secret)) throw new Error(`${label} contains the secret ${JSON.stringify(secret)}:\n${text}`);
  }
}

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const result = await world.cli(args, env);
  const label = `ppio-deploy ${args.join(' ')}`;
  transcript.push({ label: `${label} (stdout)`, text: result.stdout }, { label: `${label} (stderr)`, text: result.stderr });
  expectNoSecret(`${label} stdout`, result.stdout);
  expectNoSecret(`${label} stderr`, result.stderr);
  return result;
}

const sentBodies = () => world.emulator.requestLog.filter((entry) => entry.method === 'POST').map((entry) => JSON.stringify(entry.body));

function expectFilesClean(): void {
  for (const file of [LOCKFILE, 'plan.json', SUMMARY, JOURNAL]) {
    if (world.exists(file)) expectNoSecret(file, world.read(file));
  }
}

describe('secrets through the whole CLI', () => {
  it('validate prints no secret in any format', async () => {
    for (const format of ['text', 'json', 'github']) expectExit(await run(['validate', '--format', format]), 0);
    expectExit(await run(['validate', '--remote']), 0);
  });

  it('plan masks the interpolated value in text, json, markdown, the saved plan and the job summary', async () => {
    const text = expectExit(await run(['plan']), 0);
    expect(text.stdout).toContain('(sensitive)');
    const json = JSON.parse(expectExit(await run(['plan', '--format', 'json']), 0).stdout);
    const env = json.changes[0].fields.find((field: { path: string }) => field.path === '/envs/0');
    expect(env).toEqual({ path: '/envs/0', after: { key: 'HF_TOKEN', value: '(sensitive)' }, sensitive: true, drift: false });
    expectExit(await run(['plan', '--format', 'markdown']), 0);
    expectExit(await run(['plan', '--out', 'plan.json']), 0);

    expect(world.read('plan.json')).toContain('"HF_TOKEN"');
    expect(world.read(SUMMARY)).toContain('<!-- ppio-deploy-plan -->');
    expectFilesClean();
  });

  it('apply sends the secret to the API, and only there', async () => {
    const applied = expectExit(await run(['apply', 'plan.json', '--auto-approve']), 0);
    expect(applied.stdout).toContain('Apply complete: 1 created');

    const id = world.recordedIds()['sdxl-turbo']!;
    expect((await world.getLive(id)).envs).toEqual([
      { key: 'HF_TOKEN', value: HF_TOKEN },
      { key: 'MODEL', value: 'sdxl-turbo' },
    ]);
    expect(sentBodies().some((body) => body.includes(HF_TOKEN))).toBe(true);
    expect(world.lockfile().endpoints['sdxl-turbo']!.applied['envs']).toEqual([
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
      { key: 'MODEL', value: 'sdxl-turbo' },
    ]);
    expectFilesClean();
    expectExit(await run(['plan', '--detailed-exitcode']), 0);
  });

  it('a rotated secret plans as "(sensitive value changed)" and applies, still printed nowhere', async () => {
    const rotated = { HF_TOKEN: ROTATED };
    const text = expectExit(await run(['plan', '--detailed-exitcode'], rotated), 2);
    expect(text.stdout).toContain('(sensitive value changed)');
    expect(text.stdout).toContain('Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.');
    const json = JSON.parse((await run(['plan', '--format', 'json'], rotated)).stdout);
    expect(json.changes[0]).toEqual(
      expect.objectContaining({ action: 'update', fields: [expect.objectContaining({ path: '/envs/0/value', sensitive: true })] }),
    );
    expectExit(await run(['plan', '--format', 'markdown'], rotated), 0);
    expectExit(await run(['plan', '--out', 'plan.json'], rotated), 0);
    expectFilesClean();

    const applied = expectExit(await run(['apply', 'plan.json', '--auto-approve'], rotated), 0);
    expect(applied.stdout).toContain('1 updated');
    const id = world.recordedIds()['sdxl-turbo']!;
    expect((await world.getLive(id)).envs[0]).toEqual({ key: 'HF_TOKEN', value: ROTATED });
    expect(sentBodies().some((body) => body.includes(ROTATED))).toBe(true);
    expectFilesClean();
    world.env['HF_TOKEN'] = ROTATED;
  });

  it('import of an endpoint carrying the secret records no value', async () => {
    const handMade = await world.handCreate(
      apiEndpoint('llama', 'llama', (endpoint) => {
        endpoint['envs'] = [
          { key: 'HF_TOKEN', value: ROTATED },
          { key: 'MODEL', value: 'llama' },
        ];
      }),
    );
    world.write('endpoints/llama.yaml', secretSpec('llama'));

    expectExit(await run(['import', 'llama', handMade]), 0);
    expect(world.recordedIds()['llama']).toBe(handMade);
    expectFilesClean();
    const plan = await run(['plan', '--format', 'json']);
    expect(JSON.parse(plan.stdout).summary).toEqual(expect.objectContaining({ create: 0, adopt: 0, replace: 0 }));
    expectExit(await run(['apply', '--auto-approve']), 0);
    expectFilesClean();
  });

  it('export writes secrets as placeholders: not in the spec file, the lockfile or any output', async () => {
    await world.handCreate(
      apiEndpoint('console-secret', 'console-secret', (endpoint) => {
        endpoint['envs'] = [
          { key: 'HF_TOKEN', value: ROTATED },
          { key: 'DB_PASSWORD', value: DB_PASSWORD },
        ];
      }),
    );
    const exported = expectExit(await run(['export']), 0);
    expect(exported.stdout).toContain('  DB_PASSWORD  (env DB_PASSWORD of console-secret)');
    expectNoSecret('endpoints/console-secret.yaml', world.read('endpoints/console-secret.yaml'));
    expectFilesClean();
    expectExit(await run(['plan', '--detailed-exitcode'], { DB_PASSWORD }), 0);
    for (const format of ['text', 'json']) expectExit(await run(['plan', '--format', format], { DB_PASSWORD }), 0);
    world.env['DB_PASSWORD'] = DB_PASSWORD;
  });

  it('status prints no secret in text or JSON, even for endpoints carrying one', async () => {
    for (const format of ['text', 'json']) {
      // 0, or 2 while an endpoint the last apply updated is still initializing.
      const result = await run(['status', '--format', format]);
      expect([0, 2]).toContain(result.code);
    }
    expectFilesClean();
  });

  it('error paths print no secret: a rejected key, --debug, a bad base URL, a missing variable', async () => {
    const stranger: EmulatorHandle = await startEmulator({ apiKey: 'some-other-key', readyAfterMs: 0 });
    try {
      const elsewhere = { PPIO_BASE_URL: stranger.url };
      for (const args of [
        ['plan'],
        ['plan', '--format', 'json'],
        ['apply', '--auto-approve'],
        ['apply', '--auto-approve', '--debug'],
        ['import', 'llama', 'abcdef0123456789'],
        ['validate', '--remote'],
        ['status'],
        ['status', '--format', 'json'],
        ['export'],
      ]) {
        const result = await run(args, elsewhere);
        expect({ args, code: result.code }).toEqual({ args, code: 1 });
      }
      expect(stranger.requestLog.length).toBeGreaterThan(0);
      expect(stranger.requestLog.every((entry) => entry.status === 401 || entry.status === 403)).toBe(true);
    } finally {
      await stranger.stop();
    }
    expectExit(await run(['apply', '--auto-approve'], { PPIO_BASE_URL: 'http://example.com' }), 1);
    expectExit(await run(['plan', '--debug'], { HF_TOKEN: undefined }), 1);
    expectFilesClean();
  });

  it('an API error that echoes an interpolated value does not print it', async () => {
    // The API quotes a product id it does not know; here that id comes from the secret.
    world.write('endpoints/leaky.yaml', replaceOnce(secretSpec('leaky'), '  - id: "1"', '  - id: "${env:HF_TOKEN}"'));

    try {
      const result = expectExit(await run(['apply', '--auto-approve']), 1);

      expect(result.stdout).toContain('SERVERLESS_PRODUCT_NOT_FOUND: serverless product (sensitive) not found');
      expect(sentBodies().some((body) => body.includes(`"products":[{"id":"${ROTATED}"}]`))).toBe(true);
      expectFilesClean();
    } finally {
      world.remove('endpoints/leaky.yaml');
    }
  });

  it('an API error quoting a secret with a tab and a newline prints no part of it', async () => {
    world.write('endpoints/pem.yaml', replaceOnce(secretSpec('pem'), '  - id: "1"', '  - id: "${env:PEM_KEY}"'));
    try {
      const result = expectExit(await run(['apply', '--auto-approve'], { PEM_KEY }), 1);

      expect(result.stdout).toContain('SERVERLESS_PRODUCT_NOT_FOUND: serverless product (sensitive) not found');
      expect(sentBodies().some((body) => body.includes(JSON.stringify(PEM_KEY)))).toBe(true);
      expectFilesClean();
    } finally {
      world.remove('endpoints/pem.yaml');
    }
  });

  it('a ${env:…} value of 1 to 3 characters is refused at its line before any call that carries a spec; 4 is enough', async () => {
    world.write('endpoints/short.yaml', specWithEnvs('short', { PIN: '${env:PIN}' }));
    try {
      const calls = world.emulator.requestLog.length;
      for (const [args, pin] of [
        [['plan', '--offline'], 'a'],
        [['plan'], 'ab'],
        [['apply', '--auto-approve'], 'abc'],
      ] as const) {
        const result = expectExit(await run([...args], { PIN: pin }), 1);
        expect(result.stderr).toMatch(/endpoints\/short\.yaml:\d+:\d+ +error +short-secret +environment variable `PIN` holds \d character\(s\)/);
      }
      // Only the live state, read while the specs are (see head-start.ts): no POST, nothing of a spec.
      const sent = world.emulator.requestLog.slice(calls).map((entry) => `${entry.method} ${entry.path.replace(/\?.*/, '')}`);
      expect(sent.filter((call) => !['GET /endpoints', 'GET /endpoint/limit', 'GET /gpus/v2/products'].includes(call))).toEqual([]);
      expectExit(await run(['plan', '--offline'], { PIN: 'abcd' }), 0);
    } finally {
      world.remove('endpoints/short.yaml');
    }
  });

  it('the journal a killed apply leaves holds the template, never the value', async () => {
    world.emulator.setFault({ latencyMs: 80 });
    for (const name of ['j-0', 'j-1', 'j-2', 'j-3']) world.write(`endpoints/${name}.yaml`, secretSpec(name));
    const running = spawnCli(world, ['apply', '--auto-approve', '--concurrency', '2']);
    while (!/^\+ created /m.test(running.stdout) && running.child.exitCode === null) await sleep(5);
    running.child.kill('SIGKILL');
    await running.exited;
    world.emulator.setFault({ latencyMs: 0 });
    expectNoSecret('killed apply stdout', running.stdout);
    expectNoSecret('killed apply stderr', running.stderr);

    expect(world.exists(JOURNAL)).toBe(true);
    expectFilesClean();

    expectExit(await run(['apply', '--auto-approve']), 0);
    expectFilesClean();
    for (const entry of transcript) expectNoSecret(entry.label, entry.text);
  });
});

describe('a secret that is a common word', () => {
  const WORD = 'turbo';
  let wordWorld: World;
  beforeAll(async () => {
    const withSecrets = replaceOnce(specWithEnvs('sdxl-turbo', { HF_TOKEN: '${env:WORD}' }), '  - id: "1"', '  - id: "${env:WORD}"');
    const spec = replaceOnce(withSecrets, 'image: ghcr.io/acme/sdxl:1.4.2', 'image: "ghcr.io/acme/sdxl:${var:TAG}"');
    wordWorld = await World.start({ files: { 'endpoints/turbo/sdxl-turbo.yaml': spec }, env: { WORD } });
  });
  afterAll(async () => wordWorld?.stop());

  it('is masked where the API quotes it, and names and paths holding it print intact', async () => {
    const planned = expectExit(await wordWorld.cli(['plan', '--var', 'TAG=sha-abc1234']), 0);
    // A ${var:…} value is not a secret: shown in clear.
    expect(planned.stdout).toContain('/image/image: "ghcr.io/acme/sdxl:sha-abc1234"');
    expect(planned.stdout).toContain('create sdxl-turbo');
    expect(planned.stdout).toContain('endpoints/turbo/sdxl-turbo.yaml');
    expect(planned.stdout).toContain('/appName: "sdxl-turbo"');

    const applied = expectExit(await wordWorld.cli(['apply', '--auto-approve', '--var', 'TAG=sha-abc1234']), 1);
    expect(applied.stdout).toContain('create sdxl-turbo failed');
    expect(applied.stdout).toContain('serverless product (sensitive) not found');
    const printed = `${planned.stdout}${planned.stderr}${applied.stdout}${applied.stderr}`;
    expect(printed).not.toMatch(/[\w/-]\(sensitive\)|\(sensitive\)[\w/-]/);
    expect(printed).not.toMatch(/(^|[\s"'=:])turbo($|[\s"'.,])/m);
  });
});

describe('the API key', () => {
  /** A server that quotes the bearer key back in its 401 error, as a careless gateway might. */
  let echo: Server;
  let echoUrl: string;
  beforeAll(async () => {
    echo = createServer((request, response) => {
      const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ code: 401, reason: 'UNAUTHORIZED', message: `key ${key} is not valid` }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((resolve) => echo.close(() => resolve())));

  it("an environment's own key (apiKeyEnv) quoted back is masked too", async () => {
    const files = {
      'endpoints/a.yaml': specWithEnvs('alpha', { MODEL: 'alpha' }),
      'ppio.config.yaml': 'environments:\n  staging:\n    apiKeyEnv: PPIO_KEY_STAGING\n',
    };
    const keyWorld = await World.start({ files });
    try {
      const env = { PPIO_BASE_URL: echoUrl, PPIO_API_KEY: undefined, PPIO_KEY_STAGING: 'staging-SECRET-key' };
      const result = expectExit(await keyWorld.cli(['plan', '--env', 'staging'], env), 1);
      expect(result.stderr).toContain('key (sensitive) is not valid');
      expect(`${result.stdout}${result.stderr}`).not.toContain('staging-SECRET-key');
    } finally {
      await keyWorld.stop();
    }
  });

  it('the key is masked in everything printed, also where a spec holds it by mistake', async () => {
    // PPIO_KEY_STAGING does not look secret by its name: only knowing it is the API key hides it.
    const key = 'pasted-k3y-value';
    const files = {
      'endpoints/a.yaml': specWithEnvs('alpha', { MODEL: key }),
      'ppio.config.yaml': 'environments:\n  staging:\n    apiKeyEnv: PPIO_KEY_STAGING\n',
    };
    const keyWorld = await World.start({ files });
    try {
      const result = expectExit(await keyWorld.cli(['plan', '--env', 'staging'], { PPIO_API_KEY: undefined, PPIO_KEY_STAGING: key }), 0);
      expect(result.stdout).toContain('"key":"MODEL","value":"(sensitive)"');
      expect(`${result.stdout}${result.stderr}`).not.toContain(key);
    } finally {
      await keyWorld.stop();
    }
  });

  it.each([
    ['a short key', 'k9x'],
    ['a key with a quote and a backslash', 'key-"quoted"-\\-SECRET'],
  ])('%s quoted back by the API is masked in text and JSON, whatever its length', async (_case, key) => {
    const keyWorld = await World.start({ files: { 'endpoints/a.yaml': specWithEnvs('alpha', { MODEL: 'alpha' }) } });
    try {
      for (const format of ['text', 'json']) {
        const result = expectExit(await keyWorld.cli(['plan', '--format', format], { PPIO_BASE_URL: echoUrl, PPIO_API_KEY: key }), 1);
        const printed = `${result.stdout}${result.stderr}`;
        expect(printed).toContain('key (sensitive) is not valid');
        for (const form of [key, JSON.stringify(key).slice(1, -1)]) expect(printed).not.toContain(`key ${form} `);
      }
    } finally {
      await keyWorld.stop();
    }
  });
});
