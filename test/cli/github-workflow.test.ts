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
        found.push({ command: words[0]!, flags: words.filter((word) => word.startsWith('--')).map((flag) => flag.split('=')[0]!), line: line.trim() });
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
    const workflow = { on: {}, jobs: { x: { steps: [{ run: 'set +e\nnpx ppio-deploy@1 plan --format markdown --bogus > plan.md\nppio-deploy apply --auto-approve' }] } } };
    expect(invocations(workflow)).toEqual([
      { command: 'plan', flags: ['--format', '--bogus'], line: 'npx ppio-deploy@1 plan --format markdown --bogus > plan.md' },
      { command: 'apply', flags: ['--auto-approve'], line: 'ppio-deploy apply --auto-approve' },
    ]);
    expect(await helpFor('plan')).not.toContain('--bogus');
  });
});

describe('examples/github-actions/ppio-deploy.yaml', () => {
  const workflow = parse(readFileSync(path.join(repoRoot, 'examples/github-actions/ppio-deploy.yaml'), 'utf8')) as Workflow;

  it('uses only ppio-deploy commands and flags that exist', async () => {
    const calls = await expectEveryCallExists(workflow);
    expect(calls.map((call) => call.command)).toEqual(expect.arrayContaining(['validate', 'plan', 'apply']));
  });

  it('validates with annotations and plans with --detailed-exitcode on pull requests', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    const plan = workflow.jobs['plan']!;
    expect(plan.if).toContain('pull_request');
    const runs = plan.steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('validate --format github');
    expect(runs).toMatch(/plan --format markdown --detailed-exitcode/);
  });

  it('updates one PR comment in place, found by the plan marker', () => {
    const script = workflow.jobs['plan']!.steps.find((step) => step.uses?.startsWith('actions/github-script'))?.with?.['script'] ?? '';
    expect(script).toContain('<!-- ppio-deploy-plan -->');
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
  });

  it('applies on main with --auto-approve in one non-cancelling concurrency group, then commits the lockfile', () => {
    const apply = workflow.jobs['apply']!;
    expect(apply.if).toContain("refs/heads/main");
    expect(apply.concurrency).toEqual({ group: 'ppio-deploy-apply', 'cancel-in-progress': false });
    const runs = apply.steps.map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('apply --auto-approve');
    expect(runs).toContain('git add ppio.lock.json');
    expect(runs).toContain('git push');
  });

  it('takes PPIO_API_KEY from the repository secrets, never inline', () => {
    const keys = Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => step.env?.['PPIO_API_KEY']).filter(Boolean));
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect(key).toBe('${{ secrets.PPIO_API_KEY }}');
  });
});

describe('the workflow `init` writes', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(async () => {
    project = tempProject();
    const result = await runCli(['init'], { cwd: project.dir });
    expect(result.code).toBe(0);
  });
  afterAll(() => project.cleanup());

  it('uses only ppio-deploy commands and flags that exist', async () => {
    const workflow = parse(readFileSync(path.join(project.dir, '.github/workflows/ppio-deploy.yaml'), 'utf8')) as Workflow;
    await expectEveryCallExists(workflow);
  });
});
