/**
 * Where the command runs from must not matter: `--cwd`, a sub-folder of the project and the
 * project root all plan the same, and the lockfile's bytes never depend on it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { runCli } from '../helpers/cli.js';
import { basicSpecYaml, expectExit, LOCKFILE, World, stopRunningWorlds } from './helpers.js';

let world: World | undefined;
afterEach(stopRunningWorlds);

const files = { 'ppio.config.yaml': 'specs: ["endpoints/**/*.yaml"]\n', 'endpoints/a.yaml': basicSpecYaml('alpha') };

describe('the working directory', () => {
  it('plan and apply with --cwd from another folder work, and record sources relative to the project', async () => {
    world = await World.start({ files });
    const elsewhere = { cwd: os.tmpdir(), env: world.env };

    expectExit(await runCli(['plan', '--cwd', world.dir, '--detailed-exitcode'], elsewhere), 2);
    expectExit(await runCli(['apply', '--cwd', world.dir, '--auto-approve'], elsewhere), 0);
    expectExit(await runCli(['plan', '--cwd', world.dir, '--detailed-exitcode'], elsewhere), 0);

    const lockfile = JSON.parse(readFileSync(world.file(LOCKFILE), 'utf8'));
    expect(lockfile.endpoints.alpha.source).toBe('endpoints/a.yaml');
  });

  it('an apply from a sub-folder writes the same lockfile bytes as one from the root', async () => {
    world = await World.start({ files });
    expectExit(await world.cli(['apply', '--auto-approve']), 0);
    const fromRoot = readFileSync(world.file(LOCKFILE), 'utf8');

    // Change something and apply from endpoints/, then change it back and apply again.
    writeFileSync(world.file('endpoints/a.yaml'), basicSpecYaml('alpha').replace('maxNum: 4', 'maxNum: 5'));
    expectExit(await runCli(['apply', '--auto-approve'], { cwd: world.file('endpoints'), env: world.env }), 0);
    writeFileSync(world.file('endpoints/a.yaml'), basicSpecYaml('alpha'));
    expectExit(await runCli(['apply', '--auto-approve'], { cwd: world.file('endpoints'), env: world.env }), 0);

    expect(readFileSync(world.file(LOCKFILE), 'utf8')).toBe(fromRoot);
  });

  it('a plan saved at the root applies from a sub-folder', async () => {
    world = await World.start({ files });
    expectExit(await world.cli(['plan', '--out', 'saved-plan.json']), 0);
    const applied = await runCli(['apply', '../saved-plan.json', '--auto-approve'], { cwd: world.file('endpoints'), env: world.env });
    expectExit(applied, 0);
    expect(applied.stdout).toContain('Apply complete: 1 created');
  });
});
