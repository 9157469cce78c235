import { statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../common/errors.js';
import { createSecretMask, isSecretEnvKey, MIN_SECRET_LENGTH } from '../common/secrets.js';
import { VARIABLE_NAME_PATTERN } from '../schema/constants.js';
import { Command as CommandClass, CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import type { CommandContext } from './context.js';
import { readVersion } from './version.js';
import { reportFailure } from './failure.js';

type CommandModule = { run(ctx: CommandContext, options: Record<string, unknown>, args: string[]): Promise<number> };

/**
 * Each command's module, loaded when that command runs (the second of the CLI's two lazy-load
 * points; main.ts → this file is the first): a usage error or `COMMAND --help` runs none of
 * them, and a command runs only the modules it uses (`validate` does not start the emulator's
 * or apply's). The bundle keeps them in one file and evaluates each on its first import.
 */
const COMMANDS = {
  validate: () => import('./commands/validate.js'),
  plan: () => import('./commands/plan.js'),
  apply: () => import('./commands/apply.js'),
  status: () => import('./commands/status.js'),
  export: () => import('./commands/export.js'),
  import: () => import('./commands/import.js'),
  forget: () => import('./commands/forget.js'),
  emulator: () => import('./commands/emulator.js'),
  schema: () => import('./commands/schema.js'),
  init: () => import('./commands/init.js'),
} satisfies Record<string, () => Promise<CommandModule>>;

type CommandName = keyof typeof COMMANDS;

export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  let format: unknown;
  const program = buildProgram(async (name, options, args) => {
    format = options['format'];
    const ctx = makeContext(options);
    try {
      assertFolder(ctx.cwd);
      const command: CommandModule = await COMMANDS[name]();
      exitCode = await command.run(ctx, options, args);
    } catch (error) {
      exitCode = await reportFailure(error, ctx, format === 'json');
    }
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every usage mistake exits 1 (commander already printed it
      // on stderr; with --format json, stdout still gets its one JSON document).
      if (error.exitCode === 0) return 0;
      if (asksForJson(argv))
        process.stdout.write(`${JSON.stringify({ error: { kind: 'UsageError', message: error.message.replace(/^error: /, '') } }, null, 2)}\n`);
      return 1;
    }
    throw error;
  }
  return exitCode;
}

/**
 * The root `--help` exactly as commander prints it to a pipe (80 columns, no colour).
 * scripts/bundle-cli.js bakes it into the entry, which prints it without loading commander
 * or the command definitions; a test checks the baked text against commander's own output.
 */
export function renderRootHelp(): string {
  let text = '';
  const program = buildProgram(async () => {});
  program.configureOutput({ writeOut: (chunk) => void (text += chunk), getOutHelpWidth: () => 80, getOutHasColors: () => false });
  program.outputHelp();
  return text;
}

const asksForJson = (argv: readonly string[]): boolean =>
  argv.some((arg, i) => arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));

function assertFolder(cwd: string): void {
  let folder = false;
  try {
    folder = statSync(cwd).isDirectory();
  } catch {
    // reported below
  }
  if (!folder) throw new UsageError(`--cwd ${cwd}: no such folder`);
}

/**
 * Colours only for a person at a terminal: --no-color and a non-empty NO_COLOR (no-color.org)
 * always win; FORCE_COLOR turns them on elsewhere (e.g. a CI log that renders ANSI).
 */
function colorsWanted(options: Record<string, unknown>, env: NodeJS.ProcessEnv): boolean {
  if (options['color'] === false || (env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return process.stdout.isTTY === true;
}

function makeContext(options: Record<string, unknown>): CommandContext {
  const cwd = path.resolve(String(options['cwd'] ?? process.cwd()));
  const env = process.env;
  const secrets = createSecretMask();
  secrets.add([env['PPIO_API_KEY'] ?? '', env['PPIO_API_KEY']?.trim() ?? '']);
  // A net under the per-field masking: a pull request can drop a `${env:…}` template from both
  // the spec and the lockfile, and the plan would then print the live value it replaced. The
  // job's own secret-looking variables are hidden whatever the specs say.
  secrets.add(secretLookingEnvValues(env));
  return {
    cwd,
    configPath: typeof options['config'] === 'string' ? path.resolve(cwd, options['config']) : undefined,
    color: colorsWanted(options, env),
    environment: chosenEnvironment(options, env),
    variables: (options['var'] as Record<string, string> | undefined) ?? {},
    quiet: options['quiet'] === true,
    debug: options['debug'] === true,
    env,
    stdout: { write: (text) => void process.stdout.write(secrets.mask(text)) },
    stderr: { write: (text) => void process.stderr.write(secrets.mask(text)) },
    secrets,
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  };
}

function chosenEnvironment(options: Record<string, unknown>, env: NodeJS.ProcessEnv): CommandContext['environment'] {
  if (typeof options['env'] === 'string') return { name: options['env'], from: '--env' };
  const fromEnv = env['PPIO_ENV']?.trim();
  return fromEnv ? { name: fromEnv, from: 'PPIO_ENV' } : undefined;
}

/** Collects repeated `--var NAME=VALUE` flags into one record. */
function collectVariable(text: string, previous: Record<string, string> | undefined): Record<string, string> {
  const equals = text.indexOf('=');
  const name = text.slice(0, Math.max(0, equals));
  if (!new RegExp(VARIABLE_NAME_PATTERN).test(name)) throw new InvalidArgumentError('expected NAME=VALUE (NAME: letters, digits, _).');
  return { ...previous, [name]: text.slice(equals + 1) };
}

type Runner = (name: CommandName, options: Record<string, unknown>, args: string[]) => Promise<void>;

function buildProgram(runner: Runner): Command {
  const program = new CommandClass('ppio-deploy')
    .description('Declarative deploys for PPIO serverless GPU endpoints: validate, plan, apply.')
    .version(readVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  addGlobalOptions(program);
  program.addHelpText(
    'after',
    `
Exit codes: 0 success (nothing to change), 1 error or refused, 2 changes pending (--detailed-exitcode)
or, from status, an endpoint not serving or drifted.
Environment: PPIO_API_KEY (bearer key, or the environment's apiKeyEnv), PPIO_BASE_URL (API host), PPIO_ENV,
PPIO_VAR_NAME (a \${var:NAME} variable), NO_COLOR, CI.`,
  );

  const define = (name: CommandName, description: string, examples: string[]) => {
    const command = program.command(name).description(description).exitOverride().showSuggestionAfterError(true);
    addGlobalOptions(command);
    command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
    command.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command;
      const args = params
        .slice(0, -2)
        .flat()
        .filter((p): p is string => typeof p === 'string');
      // `--var` may come before and after the command name: both count, the later ones win.
      const variables = { ...(program.opts()['var'] as object | undefined), ...(self.opts()['var'] as object | undefined) };
      await runner(name, { ...self.optsWithGlobals(), var: variables }, args);
    });
    return command;
  };

  define('validate', 'Check the config and every spec offline against the schema and project rules.', [
    'ppio-deploy validate',
    'ppio-deploy validate --format github',
    'PPIO_API_KEY=… ppio-deploy validate --remote',
  ])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
    .option('--remote', 'also check account limits, network volumes and registry auths against the API');

  const plan = define('plan', 'Show what apply would change, compared with the lockfile and the live endpoints.', [
    'ppio-deploy plan',
    'ppio-deploy plan --format markdown > plan.md   # also written to $GITHUB_STEP_SUMMARY when set',
    'ppio-deploy plan --out plan.json --detailed-exitcode',
    'ppio-deploy plan --target sdxl-turbo --target "llm-*"',
    'ppio-deploy plan --max-hourly-cost 25',
  ])
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--out <file>', 'save the plan for `apply FILE`')
    .option('--detailed-exitcode', 'exit 2 when there are changes')
    .option('--offline', 'plan against the lockfile only; do not call the API');
  addPlanningOptions(plan, 'plan', 'fail');

  const apply = define('apply', 'Create, update, replace or delete endpoints so they match the specs; record them in the lockfile.', [
    'ppio-deploy apply',
    'ppio-deploy apply --auto-approve --wait',
    'ppio-deploy apply plan.json',
    'ppio-deploy apply --allow-delete',
    'ppio-deploy apply --target sdxl-turbo',
  ])
    .argument('[planfile]', 'a plan saved by `plan --out`; refused if anything moved since')
    .option('--auto-approve', 'do not ask for confirmation')
    .option('--allow-delete', 'carry out deletes and replaces (held back without it)')
    .option('--adopt', 'take over live endpoints the lockfile does not record (held back without it; recovers a lost lockfile)')
    .option('--wait', 'wait until every touched endpoint is serving')
    .option('--wait-timeout <seconds>', 'give up waiting after this long', '900')
    .option('--concurrency <n>', 'parallel API operations (default: config, else 8)');
  addPlanningOptions(apply, 'apply', 'refuse, before any change,');

  define('status', 'Show each managed endpoint as it is live (state, workers, URL, drift), then the endpoints nobody manages.', [
    'ppio-deploy status',
    'ppio-deploy status --format json | jq \'.endpoints[] | select(.state != "serving")\'',
  ]).addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));

  define('export', 'Write specs for live endpoints made elsewhere (all unmanaged ones without IDs) and record them in the lockfile.', [
    'ppio-deploy export',
    'ppio-deploy export 2f9fb35f70c5b595 --dir endpoints/console',
  ])
    .argument('[ids...]', 'live endpoint ids (default: every endpoint the lockfile does not record)')
    .option('--dir <dir>', 'folder for the spec files (default: where the first spec pattern starts)');

  define('import', 'Record an existing live endpoint in the lockfile under a spec name.', ['ppio-deploy import sdxl-turbo 2f9fb35f70c5b595'])
    .argument('<name>', 'spec name')
    .argument('<id>', 'live endpoint id');

  define('forget', 'Stop managing an endpoint: remove it from the lockfile and leave it running.', ['ppio-deploy forget sdxl-turbo']).argument(
    '<name>',
    'name the lockfile records the endpoint under',
  );

  define('emulator', 'Run a local emulator of the PPIO v1 endpoint API.', [
    'ppio-deploy emulator --port 8787',
    'ppio-deploy emulator --state .ppio-emulator.json --latency 50 --error-rate 0.05',
  ])
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option('--state <file>', 'persist endpoints to this file and reload them on start')
    .option('--catalog <file>', 'JSON replacing parts of the seeded clusters, storages, auths, products and limits')
    .option('--api-key <key>', 'accept only this bearer key (default: any non-empty key)')
    .option('--latency <ms>', 'delay every response', '0')
    .option('--ready-after <ms>', 'time an endpoint stays initializing', '1000')
    .option('--error-rate <r>', 'answer this fraction of requests with 500', '0')
    .option('--rate-limit-rate <r>', 'answer this fraction with 429 and Retry-After', '0')
    .option('--drop-rate <r>', 'commit this fraction of creates, then cut the connection', '0')
    .option('--commit-error-rate <r>', 'commit this fraction of creates, then answer 500', '0')
    .option('--odd-endpoints', 'add endpoints made by other tools, in shapes the v1 docs do not describe')
    .option('--seed <n>', 'seed for the fault switches (reproducible runs)');

  define('schema', 'Print a JSON Schema (endpoint or config).', ['ppio-deploy schema > endpoint.schema.json', 'ppio-deploy schema config']).argument(
    '[which]',
    'endpoint or config',
    'endpoint',
  );

  define('init', 'Scaffold ppio.config.yaml, endpoints/example.yaml and a GitHub Actions workflow.', ['ppio-deploy init']);

  return program;
}

/** The options of both commands that plan: the missing-endpoints guard, `--target` (repeatable: each use adds a name or glob), the budget. */
function addPlanningOptions(command: Command, verb: 'plan' | 'apply', overBudget: string): void {
  command
    .option('--allow-missing', `${verb} even when most recorded endpoints are missing live (normally a wrong key or account)`)
    .option(
      '--target <name>',
      'only the endpoint with this spec name (repeatable; globs such as "llm-*")',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--max-hourly-cost <n>', `${overBudget} when the hourly ceiling after the plan exceeds N (default: config maxHourlyCost)`);
}

function addGlobalOptions(command: Command): void {
  command
    .option('--config <file>', 'project config file (default: searched upward)')
    .option('--cwd <dir>', 'run as if started in this folder')
    .option('--env <name>', 'the environment of the project config to use (also PPIO_ENV)')
    .option('--var <NAME=VALUE>', 'set a ${var:NAME} variable (repeatable; wins over PPIO_VAR_NAME and the config)', collectVariable)
    .option('--no-color', 'disable colours (also NO_COLOR)')
    .option('-q, --quiet', 'print only results and errors')
    .addOption(new Option('--debug', 'print stack traces for unexpected errors').hideHelp());
}

function secretLookingEnvValues(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretEnvKey(name) && value !== undefined && value.length >= MIN_SECRET_LENGTH)
    .map(([, value]) => value as string);
}
