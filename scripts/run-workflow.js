#!/usr/bin/env node
// Runs the jobs of .github/workflows/ppio-deploy.yaml (the workflow `init` writes) on this
// machine, the way a GitHub runner would: a fresh clone of a git repository per job, each
// step's shell script run with bash -eo pipefail, GITHUB_OUTPUT / GITHUB_PATH /
// GITHUB_STEP_SUMMARY files, `if:` conditions and the `${{ … }}` expressions the workflow
// uses. git and ppio-deploy really run; two steps are stood in for:
//   - actions/setup-node and the comment-posting actions/github-script are recorded, not run
//     (the comment's body, written by the step before, is returned);
//   - `npm ci` links this checkout's ppio-deploy into node_modules, as npm does for a
//     `file:` dependency, instead of installing from a registry.
// Used by test/cli/workflow-runner.test.ts; usable by hand:
//   node scripts/run-workflow.js --repo /path/to/bare.git --job apply [--env NAME] [--secret K=V …]
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const checkoutRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKFLOW_PATH = '.github/workflows/ppio-deploy.yaml';

/**
 * Runs one job for one matrix entry. `event` is {name: 'push' | 'pull_request', ref_name, sha,
 * fork}; `secrets` maps secret names to values. Returns the job's status, each step's outcome
 * and log, the PR comment it would post, and the folder it ran in (removed unless `keep`).
 * `env` is the runner's own environment (e.g. PPIO_BASE_URL); `beforeStep(name)` runs before
 * each step (a test lands another merge while the job runs).
 */
export async function runJob({ repo, job, matrix = {}, event, secrets = {}, env = {}, workflowText, beforeStep, keep = false }) {
  const workdir = mkdtempSync(path.join(os.tmpdir(), 'ppio-workflow-'));
  const runnerDir = path.join(workdir, '_runner');
  const workspace = path.join(workdir, 'workspace');
  mkdirSync(runnerDir);
  const files = { output: path.join(runnerDir, 'output'), path: path.join(runnerDir, 'path'), summary: path.join(runnerDir, 'summary') };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const shims = writeNpmShim(runnerDir);

  const github = {
    event_name: event.name,
    ref_name: event.ref_name,
    sha: event.sha,
    repository: 'acme/endpoints',
    event: { pull_request: { head: { repo: { full_name: event.fork ? 'someone/endpoints' : 'acme/endpoints' } } } },
  };
  const context = { github, matrix, secrets, steps: {}, env: {}, status: 'success' };
  const result = { status: 'success', steps: [], comments: [], summary: '', workdir: workspace };
  let definition;
  try {
    const workflow = parse(workflowText ?? readWorkflowFromRepo(repo, event));
    definition = workflow.jobs[job];
    if (!definition) throw new Error(`the workflow has no job ${job}`);
    if (definition.if !== undefined && !truthy(evaluate(definition.if, context))) {
      result.status = 'skipped';
      return result;
    }
    const jobEnv = evaluateMap(definition.env, context);
    context.env = jobEnv;
    for (const step of definition.steps) {
      const record = { name: step.name ?? step.uses ?? 'run', id: step.id, outcome: 'skipped', log: '' };
      result.steps.push(record);
      if (!truthy(evaluate(step.if ?? 'success()', context))) continue;
      await beforeStep?.(record.name);
      const outcome = await runStep(step, { context, jobEnv, runnerEnv: env, workspace, repo, files, shims, event, record, result });
      record.outcome = outcome;
      if (step.id) context.steps[step.id] = { outcome, outputs: readOutputs(files.output) };
      writeFileSync(files.output, '');
      if (outcome === 'failure') context.status = result.status = 'failure';
    }
    result.summary = readFileSync(files.summary, 'utf8');
    return result;
  } finally {
    if (!keep) rmSync(workdir, { recursive: true, force: true });
  }
}

function readWorkflowFromRepo(repo, event) {
  const show = git(['--git-dir', repo, 'show', `${event.sha ?? event.ref_name}:${WORKFLOW_PATH}`]);
  return show.stdout;
}

async function runStep(step, { context, jobEnv, runnerEnv, workspace, repo, files, shims, event, record, result }) {
  const uses = step.uses ?? '';
  if (uses.startsWith('actions/checkout')) {
    const ref = step.with?.ref === undefined ? event.sha : substitute(step.with.ref, context);
    const clone = git(['clone', '-q', repo, workspace]);
    const checkout = clone.status === 0 ? git(['checkout', '-q', ref], workspace) : clone;
    record.log = clone.stderr + checkout.stderr;
    return checkout.status === 0 ? 'success' : 'failure';
  }
  if (uses.startsWith('actions/setup-node')) return 'success';
  if (uses.startsWith('actions/github-script')) {
    const body = readFileSync(path.join(workspace, 'comment.md'), 'utf8');
    result.comments.push({ marker: body.split('\n', 1)[0], body });
    return 'success';
  }
  if (uses) throw new Error(`the runner does not know the action ${uses}`);

  const scriptFile = path.join(path.dirname(files.output), 'step.sh');
  writeFileSync(scriptFile, substitute(step.run, context));
  const extraPath = readFileSync(files.path, 'utf8').split('\n').filter(Boolean).reverse();
  const stepEnv = {
    ...baseEnvironment(),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    ...runnerEnv,
    ...jobEnv,
    ...evaluateMap(step.env, context),
    PATH: [...extraPath, shims, process.env.PATH].join(path.delimiter),
  };
  // Asynchronous, so an emulator in the caller's process keeps answering while the step runs.
  const status = await new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
      cwd: workspace,
      env: stepEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => (record.log += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (record.log += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return status === 0 ? 'success' : 'failure';
}

/** The environment a runner starts from: no PPIO_* or GITHUB_* of ours, no jest options. */
function baseEnvironment() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PPIO_') && !key.startsWith('GITHUB_') && key !== 'NODE_OPTIONS' && key !== 'CI') env[key] = value;
  }
  return { ...env, NO_COLOR: '1', GIT_TERMINAL_PROMPT: '0' };
}

/** `npm ci` → node_modules/ppio-deploy linked to this checkout, with its bin, as for a `file:` dependency. */
function writeNpmShim(runnerDir) {
  const dir = path.join(runnerDir, 'bin');
  mkdirSync(dir);
  const shim = `#!/usr/bin/env bash
set -e
[ "$1" = ci ] || { echo "the workflow runner only stands in for 'npm ci'" >&2; exit 1; }
mkdir -p node_modules/.bin
ln -sfn ${JSON.stringify(checkoutRoot)} node_modules/ppio-deploy
ln -sfn ../ppio-deploy/dist/cli/main.js node_modules/.bin/ppio-deploy
`;
  writeFileSync(path.join(dir, 'npm'), shim);
  chmodSync(path.join(dir, 'npm'), 0o755);
  return dir;
}

function readOutputs(file) {
  const outputs = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

export function git(args, cwd) {
  return spawnSync(
    'git',
    ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      encoding: 'utf8',
      env: baseEnvironment(),
    },
  );
}

// ------------------------------------------------------------------ expressions

const evaluateMap = (map, context) => Object.fromEntries(Object.entries(map ?? {}).map(([key, value]) => [key, substitute(String(value), context)]));

/** Replaces each `${{ expression }}` in `text` with its value. */
function substitute(text, context) {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expression) => String(evaluate(expression, context) ?? ''));
}

const truthy = (value) => value !== '' && value !== null && value !== undefined && value !== false && value !== 0;

/** The subset of GitHub's expression language the workflow uses: paths, [index], literals, ==, !=, !, &&, ||, (), always()/success()/failure(). */
export function evaluate(source, context) {
  const text = source.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const tokens = text.match(/\s*('[^']*'|\d+|&&|\|\||==|!=|[!()[\].]|[A-Za-z_][\w-]*)/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) throw new Error(`the runner cannot read the expression ${source}`);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected) => {
    const token = tokens[at++];
    if (expected !== undefined && token !== expected) throw new Error(`expected ${expected} in ${source}`);
    return token;
  };
  const or = () => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = () => {
    let left = equality();
    while (peek() === '&&') {
      take();
      const right = equality();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const equality = () => {
    let left = unary();
    while (peek() === '==' || peek() === '!=') {
      const op = take();
      const right = unary();
      left = op === '==' ? String(left ?? '') === String(right ?? '') : String(left ?? '') !== String(right ?? '');
    }
    return left;
  };
  const unary = () => {
    if (peek() !== '!') return primary();
    take();
    return !truthy(unary());
  };
  const primary = () => {
    const token = take();
    if (token === '(') {
      const inner = or();
      take(')');
      return inner;
    }
    if (token.startsWith("'")) return token.slice(1, -1);
    if (/^\d+$/.test(token)) return Number(token);
    if (peek() === '(') {
      take('(');
      take(')');
      if (token === 'always') return true;
      if (token === 'success') return context.status === 'success';
      if (token === 'failure') return context.status === 'failure';
      throw new Error(`the runner does not know ${token}()`);
    }
    if (!(token in context)) throw new Error(`the runner does not know the context ${token}`);
    let value = context[token];
    while (peek() === '.' || peek() === '[') {
      let key;
      if (take() === '.') key = take();
      else {
        key = or();
        take(']');
      }
      value = value === undefined || value === null ? undefined : value[key];
    }
    return value ?? '';
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`the runner cannot read the expression ${source}`);
  return value;
}

// ------------------------------------------------------------------ by hand

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  if (args.includes('--help') || !option('--repo') || !option('--job')) {
    process.stdout.write(
      'usage: node scripts/run-workflow.js --repo BARE_GIT_REPO --job plan|apply [--env NAME] [--api-key-env NAME] [--secret NAME=VALUE …]\n',
    );
    process.exit(args.includes('--help') ? 0 : 1);
  }
  const secrets = Object.fromEntries(args.flatMap((arg, i) => (args[i - 1] === '--secret' ? [arg.split(/=(.*)/s).slice(0, 2)] : [])));
  const job = option('--job');
  const result = await runJob({
    repo: path.resolve(option('--repo')),
    job,
    matrix: { environment: option('--env') ?? '', apiKeyEnv: option('--api-key-env') ?? 'PPIO_API_KEY' },
    event: { name: job === 'plan' ? 'pull_request' : 'push', ref_name: 'main', sha: 'main', fork: false },
    secrets,
    env: process.env.PPIO_BASE_URL ? { PPIO_BASE_URL: process.env.PPIO_BASE_URL } : {},
  });
  for (const step of result.steps) process.stdout.write(`--- ${step.name}: ${step.outcome}\n${step.log}`);
  for (const comment of result.comments) process.stdout.write(`--- comment ${comment.marker}\n${comment.body}`);
  process.stdout.write(`job ${job}: ${result.status}\n`);
  process.exitCode = result.status === 'failure' ? 1 : 0;
}
