/**
 * `npm run demo`: the product end to end on a fresh clone, with no PPIO account.
 * It copies examples/quickstart to a temp folder, starts the emulator in this process, and
 * runs the real CLI as a user would: validate → plan → apply → plan (no changes).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const cli = path.join(repoRoot, 'dist/cli/main.js');

interface Step {
  args: string[];
  expectExit: number;
  explain: string;
}

const steps: Step[] = [
  { args: ['validate'], expectExit: 0, explain: 'Check the specs offline: schema, project rules, file:line:col errors.' },
  { args: ['plan', '--detailed-exitcode'], expectExit: 2, explain: 'Compare specs, lockfile and live endpoints (exit 2: changes pending).' },
  {
    args: ['apply', '--auto-approve', '--wait'],
    expectExit: 0,
    explain: 'Create the endpoints, wait until they serve, record them in ppio.lock.json.',
  },
  { args: ['plan', '--detailed-exitcode'], expectExit: 0, explain: 'Plan again: nothing left to change (exit 0).' },
];

async function main(): Promise<number> {
  const project = mkdtempSync(path.join(os.tmpdir(), 'ppio-demo-'));
  cpSync(path.join(repoRoot, 'examples/quickstart'), project, { recursive: true });
  const emulator = await startEmulator({ readyAfterMs: 1500 });
  const env: NodeJS.ProcessEnv = { ...process.env, PPIO_BASE_URL: emulator.url, PPIO_API_KEY: 'demo-key', HF_TOKEN: 'hf_demo_not_a_real_token' };
  delete env['CI']; // the demo shows what a person at a terminal sees
  say(`ppio-deploy demo — PPIO emulator at ${emulator.url}, project copied to ${project}\n`);
  try {
    for (const step of steps) {
      say(`\n# ${step.explain}\n$ ppio-deploy ${step.args.join(' ')}\n`);
      const code = await runCli(step.args, project, env);
      if (code !== step.expectExit) {
        say(`\nDemo failed: \`ppio-deploy ${step.args.join(' ')}\` exited ${code}, expected ${step.expectExit}.\n`);
        return 1;
      }
    }
    const lockfile = JSON.parse(readFileSync(path.join(project, 'ppio.lock.json'), 'utf8')) as {
      endpoints: Record<string, { id: string; url: string }>;
    };
    say('\n# ppio.lock.json now records each endpoint (commit it):\n');
    for (const [name, entry] of Object.entries(lockfile.endpoints)) say(`  ${name}  ${entry.id}  ${entry.url}\n`);
    say('\nDone. Next: README.md → "Five-minute tutorial" to run this against your own specs or PPIO account.\n');
    return 0;
  } finally {
    await emulator.stop();
    rmSync(project, { recursive: true, force: true });
  }
}

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const say = (text: string) => void process.stdout.write(text);

process.exitCode = await main();
