/**
 * The workflow `init` writes, run step by step (scripts/run-workflow.js) against a bare git
 * repository and the emulator: merges back to back, a docs-only merge landing while an apply
 * runs, a delete merged right after an add, and the pull-request side (a comment per
 * environment, replaced by the error when the plan fails, offline for a fork). At the end
 * main's lockfile records every live endpoint, and each spec has exactly one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';
import { GITHUB_WORKFLOW } from '../../src/schema/starter-workflow.js';
// @ts-expect-error: a plain ESM script without type declarations
import { git, runJob, WORKFLOW_PATH } from '../../scripts/run-workflow.js';
import { basicSpecYaml, repoRoot } from '../helpers/cli.js';

interface JobResult {
  status: string;
  steps: { name: string; outcome: string; log: string }[];
  comments: { marker: string; body: string }[];
  summary: string;
}
type Git = (args: string[], cwd?: string) => { status: number; stdout: string; stderr: string };
const run = git as Git;

let emulator: EmulatorHandle;
let root: string;
let origin: string;
let dev: string;

function sh(args: string[], cwd = dev): string {
  const result = run(args, cwd);
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A merge to main, as a developer's push: returns the new main commit. */
function merge(message: string, change: (write: (file: string, text: string) => void, remove: (file: string) => void) => void): string {
  sh(['pull', '-q', '--rebase', 'origin', 'main']);
  change(
    (file, text) => {
      mkdirSync(path.dirname(path.join(dev, file)), { recursive: true });
      writeFileSync(path.join(dev, file), text);
    },
    (file) => rmSync(path.join(dev, file)),
  );
  sh(['add', '-A']);
  sh(['commit', '-qm', message]);
  sh(['push', '-q', 'origin', 'HEAD:main']);
  return sh(['rev-parse', 'HEAD']);
}

const secrets = { PPIO_API_KEY: 'workflow-test-key' };
async function apply(sha: string, beforeStep?: (name: string) => void): Promise<JobResult> {
  const result = (await runJob({
    repo: origin,
    job: 'apply',
    matrix: { environment: '', apiKeyEnv: 'PPIO_API_KEY' },
    event: { name: 'push', ref_name: 'main', sha },
    secrets,
    env: { PPIO_BASE_URL: emulator.url },
    beforeStep,
  })) as JobResult;
  if (result.status !== 'success') throw new Error(`apply job failed:\n${result.steps.map((s) => `--- ${s.name}: ${s.outcome}\n${s.log}`).join('')}`);
  return result;
}

const stepLog = (result: JobResult, name: string) => result.steps.find((step) => step.name === name)?.log ?? '';

/** The lockfile on origin's main, name → id. */
const mainLockfile = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(
      (JSON.parse(sh(['--git-dir', origin, 'show', 'main:ppio.lock.json'], root)) as { endpoints: Record<string, { id: string }> }).endpoints,
    ).map(([name, entry]) => [name, entry.id]),
  );

async function liveByName(): Promise<Record<string, string[]>> {
  const response = await fetch(`${emulator.url}/gpu-instance/openapi/v1/endpoints?pageSize=100`, { headers: { authorization: 'Bearer x' } });
  const body = (await response.json()) as { endpoints: { id: string; name: string }[] };
  const byName: Record<string, string[]> = {};
  for (const endpoint of body.endpoints) (byName[endpoint.name] ??= []).push(endpoint.id);
  return byName;
}

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 10 });
  root = mkdtempSync(path.join(os.tmpdir(), 'ppio-workflow-test-'));
  origin = path.join(root, 'origin.git');
  dev = path.join(root, 'dev');
  sh(['init', '-q', '--bare', origin], root);
  sh(['clone', '-q', origin, dev], root);
  const files: Record<string, string> = {
    // A team that wants deletes on merge adds --allow-delete to the Apply step: exactly this edit.
    [WORKFLOW_PATH]: GITHUB_WORKFLOW.replace('ppio-deploy apply --auto-approve --wait', 'ppio-deploy apply --auto-approve --wait --allow-delete'),
    'package.json': `${JSON.stringify({ private: true, devDependencies: { 'ppio-deploy': `file:${repoRoot}` } }, null, 2)}\n`,
    'README.md': '# endpoints\n',
    'endpoints/alpha.yaml': basicSpecYaml('alpha'),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dev, file)), { recursive: true });
    writeFileSync(path.join(dev, file), text);
  }
  sh(['checkout', '-qb', 'main']);
  sh(['add', '-A']);
  sh(['commit', '-qm', 'endpoints: alpha']);
  sh(['push', '-q', 'origin', 'main']);
}, 30_000);

afterAll(async () => {
  await emulator?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('the apply job', () => {
  it('survives merges back to back, a docs-only merge while it runs, and a delete right after an add', async () => {
    const first = await apply(sh(['rev-parse', 'HEAD']));
    expect(stepLog(first, 'Apply')).toContain('Apply complete: 1 created');
    expect(Object.keys(mainLockfile())).toEqual(['alpha']);

    // Two merges back to back: both jobs are queued before either runs.
    const addBeta = merge('endpoints: beta', (write) => write('endpoints/beta.yaml', basicSpecYaml('beta')));
    const addGamma = merge('endpoints: gamma', (write) => write('endpoints/gamma.yaml', basicSpecYaml('gamma')));
    // The first job applies the branch head (beta and gamma); a docs-only merge, which starts no
    // job, lands before it pushes the lockfile: the push is rebased onto it and retried.
    let docs = '';
    const queued = await apply(addBeta, (step) => {
      if (step === 'Commit the lockfile') docs = merge('docs', (write) => write('README.md', '# endpoints\n\nHow we deploy.\n'));
    });
    expect(stepLog(queued, 'Apply')).toContain('Apply complete: 2 created');
    expect(stepLog(queued, 'Commit the lockfile')).toContain('main moved; rebasing the lockfile commit onto it');
    // The second job sees the lockfile the first one pushed: nothing left to do.
    const second = await apply(addGamma);
    expect(stepLog(second, 'Apply')).toContain('Apply complete: 0 created');
    expect(stepLog(second, 'Commit the lockfile')).toContain('The lockfile did not change.');

    // An add merged, then a delete merged before the add's job ran.
    const addDelta = merge('endpoints: delta', (write) => write('endpoints/delta.yaml', basicSpecYaml('delta')));
    const removeBeta = merge('endpoints: retire beta', (_write, remove) => remove('endpoints/beta.yaml'));
    expect(stepLog(await apply(addDelta), 'Apply')).toMatch(/1 created, 0 updated, 0 replaced, 1 deleted/);
    expect(stepLog(await apply(removeBeta), 'Commit the lockfile')).toContain('The lockfile did not change.');

    const live = await liveByName();
    expect(Object.keys(live).sort()).toEqual(['alpha', 'delta', 'gamma']);
    for (const ids of Object.values(live)) expect(ids).toHaveLength(1);
    expect(mainLockfile()).toEqual(Object.fromEntries(Object.entries(live).map(([name, ids]) => [name, ids[0]])));
    // Nothing a merge brought was lost, and the lockfile commits skip CI.
    expect(sh(['--git-dir', origin, 'log', '--format=%s', 'main'], root).split('\n')).toEqual(
      expect.arrayContaining(['docs', 'ppio-deploy: record applied endpoints [skip ci]']),
    );
    expect(sh(['--git-dir', origin, 'merge-base', '--is-ancestor', docs, 'main'], root)).toBe('');
  }, 120_000);
});

describe('the plan job', () => {
  async function plan(sha: string, fork = false): Promise<JobResult> {
    return (await runJob({
      repo: origin,
      job: 'plan',
      matrix: { environment: '', apiKeyEnv: 'PPIO_API_KEY' },
      event: { name: 'pull_request', ref_name: 'feature', sha, fork },
      secrets: fork ? {} : secrets,
      env: { PPIO_BASE_URL: emulator.url },
    })) as JobResult;
  }
  function pullRequest(branch: string, change: (write: (file: string, text: string) => void) => void): string {
    sh(['fetch', '-q', 'origin']);
    sh(['checkout', '-qB', branch, 'origin/main']);
    change((file, text) => writeFileSync(path.join(dev, file), text));
    sh(['commit', '-qam', branch]);
    sh(['push', '-q', '-f', 'origin', branch]);
    const sha = sh(['rev-parse', 'HEAD']);
    sh(['checkout', '-q', 'main']);
    return sha;
  }

  it('comments the plan under its marker, replaces it with the error when the plan fails, and plans offline for a fork', async () => {
    const good = await plan(
      pullRequest('scale-alpha', (write) => write('endpoints/alpha.yaml', basicSpecYaml('alpha').replace('maxNum: 4', 'maxNum: 6'))),
    );
    expect(good.status).toBe('success');
    expect(good.comments).toHaveLength(1);
    expect(good.comments[0]!.marker).toBe('<!-- ppio-deploy-plan:default -->');
    expect(good.comments[0]!.body).toMatch(/alpha[\s\S]*maxNum/);

    const broken = await plan(
      pullRequest('break-alpha', (write) => write('endpoints/alpha.yaml', basicSpecYaml('alpha').replace('maxNum: 4', 'maxNum: many'))),
    );
    expect(broken.status).toBe('failure');
    expect(broken.comments).toHaveLength(1);
    expect(broken.comments[0]!.marker).toBe('<!-- ppio-deploy-plan:default -->');
    expect(broken.comments[0]!.body).toContain('### ppio-deploy plan failed');
    expect(broken.comments[0]!.body).toContain('endpoints/alpha.yaml:');
    expect(broken.summary).toContain('### ppio-deploy plan failed');

    const fork = await plan(
      pullRequest('fork-scale', (write) => write('endpoints/alpha.yaml', basicSpecYaml('alpha').replace('maxNum: 4', 'maxNum: 5'))),
      true,
    );
    expect(fork.status).toBe('success');
    expect(fork.comments).toEqual([]);
    expect(fork.summary).toMatch(/offline/i);
  }, 60_000);
});

describe('the apply job for a project with environments', () => {
  it('applies each matrix entry with its own key secret, and commits each lockfile', async () => {
    const staging = await startEmulator({ readyAfterMs: 10, apiKey: 'staging-key' });
    const prod = await startEmulator({ readyAfterMs: 10, apiKey: 'prod-key' });
    const envRoot = mkdtempSync(path.join(os.tmpdir(), 'ppio-workflow-envs-'));
    try {
      const bare = path.join(envRoot, 'origin.git');
      const clone = path.join(envRoot, 'dev');
      sh(['init', '-q', '--bare', bare], envRoot);
      sh(['clone', '-q', bare, clone], envRoot);
      const files: Record<string, string> = {
        [WORKFLOW_PATH]: GITHUB_WORKFLOW,
        'package.json': `${JSON.stringify({ private: true, devDependencies: { 'ppio-deploy': `file:${repoRoot}` } }, null, 2)}\n`,
        'ppio.config.yaml': [
          'environments:',
          '  staging:',
          `    baseUrl: ${staging.url}`,
          '    apiKeyEnv: PPIO_API_KEY_STAGING',
          '    vars: {suffix: "-staging"}',
          '  prod:',
          `    baseUrl: ${prod.url}`,
          '    apiKeyEnv: PPIO_API_KEY_PROD',
          '    vars: {suffix: ""}',
          '',
        ].join('\n'),
        'endpoints/alpha.yaml': basicSpecYaml('alpha').replace('appName: alpha', 'appName: "alpha${var:suffix}"'),
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
        writeFileSync(path.join(clone, file), text);
      }
      sh(['checkout', '-qb', 'main'], clone);
      sh(['add', '-A'], clone);
      sh(['commit', '-qm', 'environments'], clone);
      sh(['push', '-q', 'origin', 'main'], clone);
      const sha = sh(['rev-parse', 'HEAD'], clone);

      // The matrix runs staging, then prod (max-parallel 1): here, one after the other.
      for (const [environment, apiKeyEnv] of [
        ['staging', 'PPIO_API_KEY_STAGING'],
        ['prod', 'PPIO_API_KEY_PROD'],
      ] as const) {
        const result = (await runJob({
          repo: bare,
          job: 'apply',
          matrix: { environment, apiKeyEnv },
          event: { name: 'push', ref_name: 'main', sha },
          secrets: { PPIO_API_KEY_STAGING: 'staging-key', PPIO_API_KEY_PROD: 'prod-key' },
        })) as JobResult;
        expect({ environment, status: result.status, log: stepLog(result, 'Apply') }).toEqual({
          environment,
          status: 'success',
          log: expect.stringContaining('Apply complete: 1 created'),
        });
      }
      const recorded = (file: string) =>
        JSON.parse(sh(['--git-dir', bare, 'show', `main:${file}`], envRoot)) as {
          api: string;
          endpoints: Record<string, { applied: { appName: string } }>;
        };
      expect(recorded('ppio.staging.lock.json')).toMatchObject({ api: staging.url, endpoints: { alpha: { applied: { appName: 'alpha-staging' } } } });
      expect(recorded('ppio.prod.lock.json')).toMatchObject({ api: prod.url, endpoints: { alpha: { applied: { appName: 'alpha' } } } });
      expect(sh(['--git-dir', bare, 'log', '--format=%s', 'main'], envRoot).split('\n')).toEqual(
        expect.arrayContaining([
          'ppio-deploy: record applied endpoints (staging) [skip ci]',
          'ppio-deploy: record applied endpoints (prod) [skip ci]',
        ]),
      );
    } finally {
      await staging.stop();
      await prod.stop();
      rmSync(envRoot, { recursive: true, force: true });
    }
  }, 60_000);
});
