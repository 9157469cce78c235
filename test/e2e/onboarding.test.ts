/**
 * Onboarding endpoints made in the console, through the built CLI against the emulator:
 * `export` writes valid specs (secrets as `${env:…}` placeholders, listed, never written) and
 * records them; after setting the listed variable, plan shows no changes and apply has
 * nothing to do. Export never overwrites a file and writes all files or none.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { apiEndpoint, expectExit, lastLine, World, type CliResult } from './helpers.js';
import { runCli, tempProject } from '../helpers/cli.js';

const HF_TOKEN = 'hf-onboarding-SECRET-4242';
const SECRETS = [HF_TOKEN];

let world: World;
const ids: Record<string, string> = {};

beforeAll(async () => {
  world = await World.start();
  ids['llm'] = await world.handCreate(
    apiEndpoint('console-llm', 'console-llm', (endpoint) => {
      endpoint['envs'] = [
        { key: 'HF_TOKEN', value: HF_TOKEN },
        { key: 'MODE', value: 'yes' },
        { key: 'TEMPLATE', value: 'hello ${name}' },
      ];
    }),
  );
  ids['sd'] = await world.handCreate(apiEndpoint('console-sd', 'console-sd', (endpoint) => (endpoint['workerConfig'].maxNum = 2)));
  // No appName (the platform uses the id), and a name that is no file name.
  ids['whisper'] = await world.handCreate(apiEndpoint('Whisper (console)', undefined, (endpoint) => delete endpoint['appName']));
});
afterAll(async () => world?.stop());

function expectNoSecret(label: string, text: string): void {
  for (const secret of SECRETS) if (text.includes(secret)) throw new Error(`${label} contains a secret:\n${text}`);
}

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  const result = await world.cli(args, env);
  expectNoSecret(`${args.join(' ')} stdout`, result.stdout);
  expectNoSecret(`${args.join(' ')} stderr`, result.stderr);
  return result;
}

const SPEC_FILES = ['endpoints/console-llm.yaml', 'endpoints/console-sd.yaml', 'endpoints/whisper-console.yaml'];

describe('export: onboarding endpoints made in the console', () => {
  it('writes one spec per unmanaged endpoint, records it, and lists the variable to set', async () => {
    const result = expectExit(await run(['export']), 0);

    expect(result.stdout).toContain('Exported 3 endpoint(s) and recorded them in ppio.lock.json:');
    expect(result.stdout).toContain(`  + endpoints/whisper-console.yaml  Whisper (console)  (${ids['whisper']})`);
    expect(result.stdout).toContain('  HF_TOKEN  (env HF_TOKEN of console-llm)');
    for (const file of SPEC_FILES) expectNoSecret(file, world.read(file));
    expectNoSecret('lockfile', world.lockfileText());
    expect(world.recordedIds()).toEqual({ 'console-llm': ids['llm'], 'console-sd': ids['sd'], 'Whisper (console)': ids['whisper'] });
    expect(world.lockfile().endpoints['console-llm']!.source).toBe('endpoints/console-llm.yaml');
  });

  it('writes the secret as a placeholder, keeps literal text literal, and leaves platform-filled fields out', async () => {
    const llm = world.read('endpoints/console-llm.yaml');
    expect(llm).toContain('  - key: HF_TOKEN\n    value: ${env:HF_TOKEN}\n');
    expect(llm).toContain('  - key: TEMPLATE\n    value: hello $${name}\n');
    expect(llm).not.toMatch(/cudaVersion|initialDelay|url:|state:|workers:/);
    expect(world.read('endpoints/whisper-console.yaml')).not.toContain('appName');
    expect(world.lockfile().endpoints['console-llm']!.applied['envs'][0]).toEqual({ key: 'HF_TOKEN', value: '${env:HF_TOKEN}' });
  });

  it('writes files that pass validate, with the modeline init writes', async () => {
    expectExit(await run(['validate']), 0);
    const scratch = tempProject();
    try {
      expectExit(await runCli(['init'], { cwd: scratch.dir }), 0);
      const initModeline = (await import('node:fs')).readFileSync(`${scratch.dir}/endpoints/example.yaml`, 'utf8').split('\n')[0];
      for (const file of SPEC_FILES) expect(world.read(file).split('\n')[0]).toBe(initModeline);
    } finally {
      scratch.cleanup();
    }
  });

  it('plans no changes once the listed variable is set, and apply has nothing to do', async () => {
    const unset = expectExit(await run(['plan']), 1);
    expect(unset.stderr).toContain('environment variable `HF_TOKEN` is not set');

    const plan = expectExit(await run(['plan', '--detailed-exitcode'], { HF_TOKEN }), 0);
    expect(plan.stdout).toContain('No changes.');
    const applied = expectExit(await run(['apply', '--auto-approve'], { HF_TOKEN }), 0);
    expect(lastLine(applied.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(world.createRequests()).toBe(3);
    expectExit(await run(['status'], { HF_TOKEN }), 0);
  });

  it('has nothing more to export, and refuses an endpoint that is already managed', async () => {
    expect(expectExit(await run(['export']), 0).stdout).toContain('Nothing to export: every live endpoint is managed already.');
    const managed = expectExit(await run(['export', ids['sd']!]), 1);
    expect(managed.stderr).toContain(`cannot export ${ids['sd']}: it is already managed as "console-sd"`);
    expect(expectExit(await run(['export', 'ffffffffffffffff']), 1).stderr).toContain('the account has no endpoint ffffffffffffffff');
  });

  it('never overwrites a file: nothing is written or recorded when one is in the way', async () => {
    const id = await world.handCreate(apiEndpoint('extra'));
    world.write('endpoints/extra.yaml', '# mine\n');
    const lockfile = world.lockfileText();

    const refused = expectExit(await run(['export', id]), 1);
    expect(refused.stderr).toContain('export would overwrite endpoints/extra.yaml; nothing was written');
    expect(world.read('endpoints/extra.yaml')).toBe('# mine\n');
    expect(world.lockfileText()).toBe(lockfile);

    expectExit(await run(['export', id, '--dir', 'endpoints/more']), 0);
    expect(world.exists('endpoints/more/extra.yaml')).toBe(true);
    world.remove('endpoints/extra.yaml');
    expectExit(await run(['plan', '--detailed-exitcode'], { HF_TOKEN }), 0);
  });

  it('refuses a --dir the spec patterns do not cover (plans would not see the files)', async () => {
    await world.handCreate(apiEndpoint('elsewhere'));
    const result = expectExit(await run(['export', '--dir', 'specs']), 1);
    expect(result.stderr).toContain('--dir specs: files there would not match the spec patterns (endpoints/**/*.{yaml,yml,json})');
    expect(world.exists('specs')).toBe(false);
    const outside = expectExit(await run(['export', '--dir', '../elsewhere']), 1);
    expect(outside.stderr).toContain('--dir ../elsewhere: it is outside the project');
  });

  it('leaves out an endpoint whose values no spec may hold, naming why, and exports the others', async () => {
    const odd = await world.handCreate(apiEndpoint('odd-health', 'odd-health', (endpoint) => (endpoint['healthy'] = { path: 'health' })));
    const result = expectExit(await run(['export']), 0);
    expect(result.stdout).toContain(`  - odd-health (${odd}): its spec would be invalid:`);
    expect(result.stdout).toContain('  + endpoints/elsewhere.yaml  elsewhere');
    expect(world.exists('endpoints/odd-health.yaml')).toBe(false);
    const byId = expectExit(await run(['export', odd]), 1);
    expect(byId.stderr).toContain(`cannot export ${odd}: its spec would be invalid`);
  });
});
