/**
 * The output contracts scripts and CI rely on (README, JSON output): one JSON document on stdout,
 * exit codes, apply's last line, the confirmation rules, the job summary, --wait, and the
 * refusals for a missing key or an unsafe base URL.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, rmSync } from 'node:fs';
import { basicSpecYaml, expectExit, lastLine, specWithImage, World, LOCKFILE, stopRunningWorlds } from './helpers.js';

let world: World | undefined;
afterEach(stopRunningWorlds);

const twoSpecs = { 'endpoints/a.yaml': basicSpecYaml('alpha'), 'endpoints/b.yaml': basicSpecYaml('beta') };
const APPLY_COMPLETE = /^Apply complete: \d+ created, \d+ updated, \d+ replaced, \d+ deleted, \d+ adopted\.$/;

describe('plan --format json', () => {
  it('prints exactly one JSON document with the documented `plan --format json` keys, and nothing else on stdout', async () => {
    world = await World.start({ files: twoSpecs });

    const result = expectExit(await world.cli(['plan', '--format', 'json']), 0);

    const plan = JSON.parse(result.stdout); // throws on a second document or stray text
    expect(Object.keys(plan).sort()).toEqual(['changes', 'environment', 'formatVersion', 'mode', 'summary', 'unmanaged', 'warnings']);
    expect(plan.formatVersion).toBe(1);
    expect(Object.keys(plan.summary).sort()).toEqual(['adopt', 'cost', 'create', 'delete', 'forget', 'move', 'noop', 'replace', 'update']);
    // Two new endpoints of 4 workers × 1 GPU at the emulator's 0.69 per GPU-hour.
    const cost = { currency: 'USD', floor: [0, 0], ceiling: [0, 5.52] };
    expect(plan.summary).toEqual({ create: 2, adopt: 0, update: 0, replace: 0, delete: 0, noop: 0, move: 0, forget: 0, cost });
    for (const change of plan.changes) {
      expect(['action', 'cost', 'fields', 'guarded', 'id', 'impact', 'name', 'source']).toEqual(expect.arrayContaining(Object.keys(change)));
      expect(change).toEqual(
        expect.objectContaining({ action: 'create', impact: 'new-endpoint', source: expect.stringMatching(/^endpoints\/[ab]\.yaml$/) }),
      );
      for (const field of change.fields) expect(typeof field.path).toBe('string');
    }
    expect(plan.changes.map((change: { name: string }) => change.name).sort()).toEqual(['alpha', 'beta']);
  });

  it('keeps notices on stderr when planning without a key, so stdout still parses', async () => {
    world = await World.start({ files: twoSpecs });

    const result = expectExit(await world.cli(['plan', '--format', 'json'], { PPIO_API_KEY: undefined }), 0);

    expect(JSON.parse(result.stdout).summary.create).toBe(2);
    expect(result.stderr).toContain('PPIO_API_KEY is not set');
  });

  it('prints an invalid spec as one JSON error document on stdout, exit 1', async () => {
    world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha').replace('port: 8080', 'port: 2222') } });

    const result = expectExit(await world.cli(['plan', '--format', 'json']), 1);

    const body = JSON.parse(result.stdout);
    expect(body.error.kind).toBeTruthy();
    expect(body.error.diagnostics).toEqual([expect.objectContaining({ file: 'endpoints/a.yaml', path: '/ports/0/port', rule: expect.any(String) })]);
  });

  it('prints an API failure as one JSON error document on stdout, exit 1', async () => {
    world = await World.start({ files: twoSpecs, emulator: { apiKey: 'the-only-accepted-key' } });

    const result = expectExit(await world.cli(['plan', '--format', 'json']), 1);

    const body = JSON.parse(result.stdout);
    expect(body.error.message).toMatch(/key|unauthori[sz]ed|403|401/i);
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('exit codes and the apply summary line', () => {
  it('plan --detailed-exitcode exits 2 with changes pending and 0 once applied; apply ends with the summary line', async () => {
    world = await World.start({ files: twoSpecs });

    expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);
    expectExit(await world.cli(['plan']), 0);
    const applied = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(lastLine(applied.stdout)).toMatch(APPLY_COMPLETE);
    expect(lastLine(applied.stdout)).toBe('Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(applied.stdout).toMatch(/^\+ created alpha \([0-9a-f]{16}\) in \d+(\.\d+)?s \[\d\/\d\]$/m);

    expectExit(await world.cli(['plan', '--detailed-exitcode']), 0);
    const again = expectExit(await world.cli(['apply', '--auto-approve']), 0);
    expect(again.stdout).toContain('No changes.');
    expect(lastLine(again.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
  });
});

describe('failures around the output', () => {
  it('a usage mistake under --format json still prints one JSON document on stdout', async () => {
    world = await World.start({ files: twoSpecs });
    const result = expectExit(await world.cli(['plan', '--format', 'json', '--bogus']), 1);
    expect(JSON.parse(result.stdout)).toEqual({ error: { kind: 'UsageError', message: "unknown option '--bogus'" } });
  });

  it('an unwritable GITHUB_STEP_SUMMARY is a warning: the plan JSON stays one document and apply still succeeds', async () => {
    world = await World.start({ files: twoSpecs });
    const summary = { GITHUB_STEP_SUMMARY: '/nonexistent-folder/summary.md' };
    const plan = expectExit(await world.cli(['plan', '--format', 'json'], summary), 0);
    expect(JSON.parse(plan.stdout).summary.create).toBe(2);
    expect(plan.stderr).toContain('could not write the job summary');
    const applied = expectExit(await world.cli(['apply', '--auto-approve'], summary), 0);
    expect(lastLine(applied.stdout)).toMatch(APPLY_COMPLETE);
  });

  it('plan --out to a folder that does not exist is a clear error naming the file', async () => {
    world = await World.start({ files: twoSpecs });
    const result = expectExit(await world.cli(['plan', '--out', 'missing/plan.json']), 1);
    expect(result.stderr).toContain('cannot write missing/plan.json: ENOENT');
    expect(result.stderr).not.toContain('internal error');
  });

  it('--cwd naming no folder is a clear error', async () => {
    world = await World.start({ files: twoSpecs });
    const result = expectExit(await world.cli(['plan', '--cwd', 'no-such-folder']), 1);
    expect(result.stderr).toContain('no such folder');
  });

  it('deleting the last spec file plans (and, allowed, applies) the delete of every recorded endpoint', async () => {
    world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') } });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    rmSync(world.file('endpoints/a.yaml'));

    const plan = expectExit(await world.cli(['plan', '--detailed-exitcode']), 2);
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete.');
    expect(plan.stderr).toContain('will be planned for deletion');
    const applied = expectExit(await world.cli(['apply', '--auto-approve', '--allow-delete']), 0);
    expect(lastLine(applied.stdout)).toBe('Apply complete: 0 created, 0 updated, 0 replaced, 1 deleted, 0 adopted.');
    expect(world.emulator.endpointCount()).toBe(0);
  });
});

describe('confirmation', () => {
  it('refuses an apply without --auto-approve outside a terminal and without CI=true, changing nothing', async () => {
    world = await World.start({ files: twoSpecs });

    const refused = expectExit(await world.cli(['apply']), 1);

    expect(refused.stderr).toContain('--auto-approve');
    expect(world.emulator.endpointCount()).toBe(0);
    expect(world.exists(LOCKFILE)).toBe(false);
    expect(world.createRequests()).toBe(0);
  });

  it('proceeds without a prompt when CI=true', async () => {
    world = await World.start({ files: twoSpecs });

    const result = expectExit(await world.cli(['apply'], { CI: 'true' }), 0);

    expect(lastLine(result.stdout)).toBe('Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    expect(world.emulator.endpointCount()).toBe(2);
  });
});

describe('GITHUB_STEP_SUMMARY', () => {
  it('gets the markdown plan, with its marker, from plan and from apply', async () => {
    world = await World.start({ files: twoSpecs });
    const summaryFile = world.file('step-summary.md');
    const env = { GITHUB_STEP_SUMMARY: summaryFile };

    expectExit(await world.cli(['plan'], env), 0);
    const afterPlan = readFileSync(summaryFile, 'utf8');
    expect(afterPlan).toContain('<!-- ppio-deploy-plan -->');
    expect(afterPlan).toContain('Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.');

    expectExit(await world.cli(['apply', '--auto-approve'], env), 0);
    const afterApply = readFileSync(summaryFile, 'utf8');
    expect(afterApply.startsWith(afterPlan)).toBe(true);
    const appended = afterApply.slice(afterPlan.length);
    expect(appended).toContain('<!-- ppio-deploy-plan -->');
    expect(appended).toContain('alpha');
  });
});

describe('apply --wait', () => {
  it('waits until every touched endpoint is serving', async () => {
    world = await World.start({ files: { 'endpoints/a.yaml': basicSpecYaml('alpha') }, emulator: { readyAfterMs: 300 } });

    const result = expectExit(await world.cli(['apply', '--auto-approve', '--wait']), 0);

    expect(result.stdout).toMatch(/✓ alpha \([0-9a-f]{16}\) serving after/);
    expect(lastLine(result.stdout)).toBe('Apply complete: 1 created, 0 updated, 0 replaced, 0 deleted, 0 adopted.');
    const id = world.lockfile().endpoints['alpha']!.id;
    expect((await world.getLive(id)).state.state).toBe('serving');
  }, 20_000);

  it('fails with the endpoint state message when an endpoint ends up failed', async () => {
    world = await World.start({
      files: { 'endpoints/a.yaml': specWithImage('alpha', 'ghcr.io/acme/emulator-fail:1') },
      emulator: { readyAfterMs: 0 },
    });

    const result = expectExit(await world.cli(['apply', '--auto-approve', '--wait']), 1);

    const id = world.lockfile().endpoints['alpha']!.id;
    const output = result.stdout + result.stderr;
    expect(output).toContain(`endpoint ${id} is failed`);
    expect(output).toContain('ImagePullBackOff');
    expect(output).not.toMatch(APPLY_COMPLETE);
  }, 20_000);
});

describe('refusals before any API call', () => {
  it('apply without PPIO_API_KEY exits 1 with a hint', async () => {
    world = await World.start({ files: twoSpecs });

    const result = expectExit(await world.cli(['apply', '--auto-approve'], { PPIO_API_KEY: undefined }), 1);

    expect(result.stderr).toContain('PPIO_API_KEY');
    expect(result.stderr).toContain('ppio-deploy emulator');
    expect(world.emulator.requestLog).toEqual([]);
    expect(world.exists(LOCKFILE)).toBe(false);
  });

  it('refuses a plain http:// base URL that is not loopback', async () => {
    world = await World.start({ files: twoSpecs });

    for (const command of [['apply', '--auto-approve'], ['plan']]) {
      const result = expectExit(await world.cli(command, { PPIO_BASE_URL: 'http://example.com' }), 1);
      expect(result.stderr).toContain('http://');
      expect(result.stderr).toMatch(/unencrypted|https:\/\//);
      expect(result.stderr).not.toContain('    at ');
    }
    const json = expectExit(await world.cli(['plan', '--format', 'json'], { PPIO_BASE_URL: 'http://example.com' }), 1);
    expect(JSON.parse(json.stdout).error.message).toContain('plain http://');
    expect(world.exists(LOCKFILE)).toBe(false);
  });
});
