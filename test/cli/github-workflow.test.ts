/**
 * The GitHub Actions workflows we ship (examples/github-actions and the one `init` writes)
 * must only use commands and flags that exist, and keep the safety properties the README
 * promises: one plan comment, a serialised apply that is never cancelled, the key a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot, runCli, tempProject } from '../helpers/cli.js';

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { if?: string; steps: Step[]; concurrency?: { group: string; 'cancel-in-progress'?: boolean } }>;
}

interface Invocation {
  command: string;
  flags: string[];
  line: string;
}

/** Every `ppio-deploy …` call in the workflow's run scripts, up to a shell operator. */
function invocations(workflow: Workflow): Invocation[] {
  const found: Invocation[] = [];
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps) {
      for (const line of (step.run ?? '').split('\n')) {
        const match = /(?:^|\s)(?:npx\s+)?(?:"?ppio-deploy(?:@[^\s"]+)?"?)\s+([^|;&>]*)/.exec(line);
        if (!match || line.includes('npm install')) continue;
        const words = match[1]!.trim().split(/\s+/);
        found.push({
          command: words[0]!,
          flags: words.filter((word) => word.startsWith('--')).map((flag) => flag.split('=')[0]!),
          line: line.trim(),
        });
      }
    }
  }
  return found;
}

const helpCache = new Map<string, string>();
async function helpFor(command: string): Promise<string> {
  if (!helpCache.has(command)) {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    helpCache.set(command, result.stdout);
  }
  return helpCache.get(command)!;
}

async function expectEveryCallExists(workflow: Workflow): Promise<Invocation[]> {
  const calls = invocations(workflow);
  expect(calls.length).toBeGreaterThan(0);
  for (const call of calls) {
    const help = await helpFor(call.command);
    for (const flag of call.flags) expect({ line: call.line, flag, known: help.includes(flag) }).toEqual({ line: call.line, flag, known: true });
  }
  return calls;
}

describe('the workflow check itself', () => {
  it('finds each call with its flags, and a made-up flag is not in the help', async () => {
    const workflow = {
      on: {},
      jobs: { x: { steps: [{ run: 'set +e\nnpx ppio-deploy@1 plan --format markdown --bogus > plan.md\nppio-deploy apply --auto-approve' }] } },
    };
    expect(invocations(workflow)).toEqual([
      { command: 'plan', flags: ['--format', '--bogus'], line: 'npx ppio-deploy@1 plan --format markdown --bogus > plan.md' },
      { command: 'apply', flags: ['--auto-approve'], line: 'ppio-deploy apply --auto-approve' },
    ]);
    expect(await helpFor('plan')).not.toContain('--bogus');
  });
});

/** The yaml block of the README's "GitOps on GitHub Actions" section. */
function readmeWorkflow(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## GitOps on GitHub Actions'));
  const match = /````yaml\n([\s\S]*?)````/.exec(section);
  if (!match) throw new Error('the README shows no workflow');
  return match[1]!;
}

describe('one workflow, one source', () => {
  let project: ReturnType<typeof tempProject>;
  let written: string;
  beforeAll(async () => {
    project = tempProject();
    const result = await runCli(['init'], { cwd: project.dir });
    expect(result.code).toBe(0);
    written = readFileSync(path.join(project.dir, '.github/workflows/ppio-deploy.yaml'), 'utf8');
  });
  afterAll(() => project.cleanup());

  it('init writes byte for byte the workflow the README shows and examples/ holds', () => {
    expect(written).toBe(readmeWorkflow());
    expect(written).toBe(readFileSync(path.join(repoRoot, 'examples/github-actions/ppio-deploy.yaml'), 'utf8'));
  });

  it('uses only ppio-deploy commands and flags that exist', async () => {
    const calls = await expectEveryCallExists(parse(written) as Workflow);
    expect(calls.map((call) => call.command)).toEqual(expect.arrayContaining(['validate', 'plan', 'apply']));
  });

  it('installs what the repository pins (npm ci), never a package by name', () => {
    const runs = Object.values((parse(written) as Workflow).jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));
    expect(runs.filter((run) => run.includes('npm ci'))).toHaveLength(2);
    for (const run of runs) {
      expect(run).not.toMatch(/npx\s+(--yes\s+)?ppio-deploy|npm (install|i|exec)\b[^\n]*ppio-deploy/);
    }
  });
});

describe('the workflow', () => {
  const workflow = parse(readmeWorkflow()) as Workflow & {
    jobs: Record<
      string,
      { strategy?: { 'max-parallel'?: number; 'fail-fast'?: boolean; matrix: { include: Record<string, string>[] } }; env?: Record<string, string> }
    >;
  };
  const stepNamed = (job: string, name: string) => {
    const step = workflow.jobs[job]!.steps.find((s) => (s as { name?: string }).name === name);
    if (!step) throw new Error(`no step "${name}" in ${job}`);
    return step as Step & { if?: string; id?: string };
  };

  it('validates with annotations and plans per environment on pull requests', () => {
    const plan = workflow.jobs['plan']!;
    expect(plan.if).toContain('pull_request');
    expect(plan.strategy?.matrix.include).toEqual([{ environment: '', apiKeyEnv: 'PPIO_API_KEY' }]);
    expect(plan.env).toEqual({ PPIO_ENV: '${{ matrix.environment }}' });
    expect(stepNamed('plan', 'Validate').run).toContain('ppio-deploy validate --format github');
    expect(stepNamed('plan', 'Plan').run).toContain('plan --format markdown --detailed-exitcode');
  });

  it('writes one comment per environment, by its marker, also when the plan failed', () => {
    expect(stepNamed('plan', 'Plan').if).toBe('always()');
    const comment = stepNamed('plan', 'Write the plan comment');
    expect(comment.if).toBe('always()');
    expect(comment.run).toContain('<!-- ppio-deploy-plan:${PPIO_ENV:-default} -->');
    expect(comment.run).toContain('plan-error.txt');
    const script = stepNamed('plan', 'Post or update the plan comment').with?.['script'] ?? '';
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(stepNamed('plan', 'Post or update the plan comment').if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('applies per environment, in order, one at a time, on the branch head, never cancelled', () => {
    const apply = workflow.jobs['apply']!;
    expect(apply.strategy).toMatchObject({ 'max-parallel': 1, 'fail-fast': true });
    expect(apply.strategy?.matrix.include).toEqual(workflow.jobs['plan']!.strategy?.matrix.include);
    expect(apply.concurrency).toEqual({ group: "ppio-deploy-apply-${{ matrix.environment || 'default' }}", 'cancel-in-progress': false });
    const checkout = apply.steps.find((step) => step.uses?.startsWith('actions/checkout'));
    expect(checkout?.with).toMatchObject({ ref: '${{ github.ref_name }}' });
    expect(stepNamed('apply', 'Apply').run).toContain('ppio-deploy apply --auto-approve');
    const commit = stepNamed('apply', 'Commit the lockfile');
    expect(commit.if).toBe('always()');
    expect(commit.run).toContain('git pull -q --rebase origin "$BRANCH"');
    expect(commit.run).toContain('[skip ci]');
  });

  it("takes each environment's API key from the repository secrets, never inline", () => {
    const keys = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.env?.['PPIO_DEPLOY_KEY']).filter(Boolean));
    expect(keys).toEqual(['${{ secrets[matrix.apiKeyEnv] }}', '${{ secrets[matrix.apiKeyEnv] }}']);
    expect(readmeWorkflow()).not.toMatch(/PPIO_API_KEY:\s*["']?\w/);
  });
});
