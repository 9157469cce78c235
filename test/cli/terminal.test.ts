/**
 * The terminal experience: help with examples, suggestions for typos, and colours only
 * where a person is looking (a TTY, and not NO_COLOR or --no-color).
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { renderRootHelp } from '../../src/cli/program.js';
import { startEmulator } from '../../src/emulator/index.js';
import { basicSpecYaml, cliPath, repoRoot, runCli, tempProject } from '../helpers/cli.js';

const COMMANDS = ['validate', 'plan', 'apply', 'import', 'emulator', 'schema', 'init'];
const ANSI = /\u001b\[/;
const invalidProject = path.join(repoRoot, 'test/fixtures/validate/reserved-port');

/** Runs the CLI inside a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function runInTerminal(args: string[], env: Record<string, string> = {}, input = '', cwd?: string): Promise<string> {
  return runInTerminalWithCode(args, env, input, cwd).then((run) => run.output);
}

/**
 * As runInTerminal, with the program's exit code (`script -e` passes it on). With `after`,
 * the input is typed once that text is on the screen: a Ctrl-C typed before the program
 * reads the terminal would just kill it.
 */
function runInTerminalWithCode(
  args: string[],
  env: Record<string, string> = {},
  input = '',
  cwd?: string,
  after?: string,
): Promise<{ output: string; code: number | null }> {
  const command = [process.execPath, cliPath, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ');
  const childEnv: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TERM: 'xterm', ...env };
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'], cwd });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (after !== undefined && output.includes(after) && child.stdin.writable) child.stdin.end(input);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ output, code }));
    // Typed once the prompt is up; the terminal holds it until the program reads.
    if (after === undefined) setTimeout(() => child.stdin.end(input), input ? 1500 : 0);
  });
}

describe('help', () => {
  it.each(COMMANDS)('`%s --help` shows at least one example of the command', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ ppio-deploy ${command}`));
  });

  it('lists every command and the exit codes at the top level', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command}`);
    expect(result.stdout).toContain('Exit codes: 0 success (nothing to change), 1 error or refused, 2 changes pending');
  });

  // The entry prints the root help baked in at build time, without loading commander.
  it('prints, for `--help` and `-h`, exactly what commander prints for `help` and what the program renders now', async () => {
    const [baked, short, commander] = await Promise.all([runCli(['--help']), runCli(['-h']), runCli(['help'])]);
    expect(commander.code).toBe(0);
    expect(baked).toEqual(commander);
    expect(short).toEqual(commander);
    expect(baked.stdout).toBe(renderRootHelp());
  });

  it("on a terminal, prints the baked help however wide it is, and commander's own on one narrower than 80 columns", async () => {
    const [wide, narrow, commanderNarrow] = await Promise.all([inTerminal(200, '--help'), inTerminal(60, '--help'), inTerminal(60, 'help')]);
    expect(wide).toBe(renderRootHelp());
    expect(narrow).toBe(commanderNarrow);
    expect(narrow).not.toBe(wide);
  });
});

/** The output of `ppio-deploy <arg>` in a pseudo-terminal of the given width, with plain newlines. */
function inTerminal(columns: number, arg: string): Promise<string> {
  const command = `stty cols ${columns} rows 50 && '${process.execPath}' '${cliPath}' ${arg}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(output.replaceAll('\r\n', '\n')));
  });
}

describe('mistakes on the command line', () => {
  it('suggests the command a typo meant, and exits 1', async () => {
    const result = await runCli(['valdate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'valdate'");
    expect(result.stderr).toContain('Did you mean validate?');
  });

  it('suggests the flag a typo meant, and exits 1', async () => {
    const result = await runCli(['plan', '--detailed-exitcod']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Did you mean --detailed-exitcode?');
  });

  it('names the flag of a bad value, and exits 1', async () => {
    const result = await runCli(['validate', '--format', 'yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--format.*yaml/);
  });
});

describe('colours', () => {
  it('are used on a terminal', async () => {
    const output = await runInTerminal(['validate', '--cwd', invalidProject]);
    expect(output).toContain('reserved-port');
    expect(output).toMatch(ANSI);
  });

  it.each([
    ['NO_COLOR is set', [], { NO_COLOR: '1' }],
    ['--no-color is given', ['--no-color'], {}],
  ] as const)('are not used on a terminal when %s', async (_case, flags, env) => {
    const output = await runInTerminal(['validate', '--cwd', invalidProject, ...flags], env);
    expect(output).toContain('reserved-port');
    expect(output).not.toMatch(ANSI);
  });

  it('are not used when the output is not a terminal (CI logs, pipes)', async () => {
    const result = await runCli(['validate', '--cwd', invalidProject], { env: { NO_COLOR: undefined } });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('reserved-port');
    expect(result.stdout + result.stderr).not.toMatch(ANSI);
  });
});

describe('the apply prompt on a terminal', () => {
  const PROMPT = 'Apply these changes? Only "yes" is accepted: ';

  /** `apply` of one new endpoint in a terminal, `input` typed at the prompt. */
  async function applyAtPrompt(input: string): Promise<{ output: string; code: number | null; created: number }> {
    const emulator = await startEmulator({ readyAfterMs: 0 });
    const project = tempProject({ 'endpoints/a.yaml': basicSpecYaml('alpha') });
    try {
      const env = { PPIO_BASE_URL: emulator.url, PPIO_API_KEY: 'pty-test', NO_COLOR: '1' };
      const run = await runInTerminalWithCode(['apply'], env, input, project.dir, PROMPT);
      return { ...run, created: emulator.endpointCount() };
    } finally {
      project.cleanup();
      await emulator.stop();
    }
  }

  it.each([
    ['yes', 1, 'Apply complete: 1 created'],
    ['y', 0, 'Apply cancelled: nothing was changed.'],
  ] as const)('answered "%s": %i endpoint(s) created', async (answer, created, message) => {
    const run = await applyAtPrompt(`${answer}\n`);
    expect(run.output).toContain(PROMPT.trim());
    expect(run.output).toContain(message);
    expect(run.created).toBe(created);
  });

  it.each([
    ['Ctrl-C', 130, '\u0003'],
    ['Ctrl-D', 1, '\u0004'],
  ] as const)('%s at the prompt: a plain "Aborted", exit %i, nothing created', async (_key, code, input) => {
    const run = await applyAtPrompt(input);
    expect(run.output).toContain('Aborted: nothing was changed.');
    expect(run.output).not.toMatch(/internal error|This is a bug/);
    expect(run.code).toBe(code);
    expect(run.created).toBe(0);
  });
});
