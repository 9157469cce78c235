/**
 * What a committed config, pattern or symbolic link can make `validate` read and print
 * (built CLI, real files): spec files and the lockfile stay inside the project, a file that
 * is not a spec is never quoted, and a link that does not resolve is an error, never skipped.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { basicSpecYaml, runCli, tempProject } from '../helpers/cli.js';

const AUTH_HEADER = 'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3NlY3JldA==';

/** A repository whose .git/config holds a checkout's auth header, with one valid spec. */
function repository(config: string) {
  const project = tempProject({ 'ppio.config.yaml': config, 'endpoints/ok.yaml': basicSpecYaml('ok') });
  mkdirSync(path.join(project.dir, '.git'));
  writeFileSync(path.join(project.dir, '.git/config'), `[http "https://github.com/"]\n\textraheader = ${AUTH_HEADER}\n`);
  cleanups.push(project.cleanup);
  return project.dir;
}
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

const validate = (dir: string, ...args: string[]) => runCli(['validate', ...args], { cwd: dir });

describe('validate reads only spec files inside the project', () => {
  it('patterns naming .git/config or a text file: errors that quote nothing of them', async () => {
    const dir = repository("specs: ['endpoints', '.git/config', 'notes.txt']\n");
    writeFileSync(path.join(dir, 'notes.txt'), `token ${AUTH_HEADER}\n`);
    for (const format of ['github', 'text', 'json']) {
      const result = await validate(dir, '--format', format);
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).not.toContain('AUTHORIZATION');
      expect(result.stdout.match(/not-a-spec-file/g)).toHaveLength(2);
    }
  });

  it('a spec that is a symbolic link into .git or out of the project: an error, not read', async () => {
    const dir = repository("specs: ['endpoints']\n");
    const outside = tempProject({ 'secret.yaml': `token: ${AUTH_HEADER}\n` });
    cleanups.push(outside.cleanup);
    symlinkSync('../.git/config', path.join(dir, 'endpoints/git.yaml'));
    symlinkSync(path.join(outside.dir, 'secret.yaml'), path.join(dir, 'endpoints/outside.yaml'));
    const result = await validate(dir, '--format', 'github');
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('AUTHORIZATION');
    expect(result.stdout).toContain('file=endpoints/git.yaml,line=1,col=1,title=not-a-spec-file::not read: it is inside the .git folder');
    expect(result.stdout).toContain(
      'file=endpoints/outside.yaml,line=1,col=1,title=not-a-spec-file::not read: it is a symbolic link that leads outside the project',
    );
  });

  it('a folder that is a symbolic link out of the project or into .git: its specs are errors, not read; one inside is read', async () => {
    const dir = repository("specs: ['endpoints']\n");
    const outside = tempProject({ 'secret.yaml': `token: ${AUTH_HEADER}\n` });
    cleanups.push(outside.cleanup);
    writeFileSync(path.join(dir, '.git/hooks.yaml'), `token: ${AUTH_HEADER}\n`);
    mkdirSync(path.join(dir, 'shared'));
    writeFileSync(path.join(dir, 'shared/also.yaml'), basicSpecYaml('also'));
    symlinkSync(outside.dir, path.join(dir, 'endpoints/elsewhere'));
    symlinkSync('../.git', path.join(dir, 'endpoints/git'));
    symlinkSync('../shared', path.join(dir, 'endpoints/shared'));
    const result = await validate(dir, '--format', 'github');
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('AUTHORIZATION');
    expect(result.stdout).toContain(
      'file=endpoints/elsewhere/secret.yaml,line=1,col=1,title=not-a-spec-file::not read: it is a symbolic link that leads outside the project',
    );
    expect(result.stdout).toContain('file=endpoints/git/hooks.yaml,line=1,col=1,title=not-a-spec-file::not read: it is inside the .git folder');
    expect(result.stdout).toContain('2 errors in 4 files (2 endpoints)');
  });

  it('a pattern that leaves the project: an error at the pattern, nothing read', async () => {
    const parent = tempProject({ 'elsewhere/leak.yaml': `name: ${AUTH_HEADER}\n` });
    cleanups.push(parent.cleanup);
    const dir = path.join(parent.dir, 'project');
    mkdirSync(path.join(dir, 'endpoints'), { recursive: true });
    writeFileSync(path.join(dir, 'ppio.config.yaml'), "specs:\n  - endpoints\n  - '../elsewhere/*.yaml'\n");
    writeFileSync(path.join(dir, 'endpoints/ok.yaml'), basicSpecYaml('ok'));
    execFileSync('git', ['init', '-q', dir]);
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('AUTHORIZATION');
    expect(result.stdout).toMatch(
      /^ppio\.config\.yaml:3:5 {2}error {2}outside-project {2}`\.\.\/elsewhere\/\*\.yaml` matches files outside the project/,
    );
  });

  it('a config file that is a symbolic link into .git: an error, not read', async () => {
    const project = tempProject({ 'endpoints/ok.yaml': basicSpecYaml('ok') });
    cleanups.push(project.cleanup);
    mkdirSync(path.join(project.dir, '.git'));
    writeFileSync(path.join(project.dir, '.git/config'), `[http]\n\textraheader = ${AUTH_HEADER}\n`);
    symlinkSync('.git/config', path.join(project.dir, '.ppiorc'));
    const result = await validate(project.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('AUTHORIZATION');
    expect(result.stdout).toContain('.ppiorc:1:1  error  outside-project  the config file was not read: it is inside the .git folder');
  });

  it('a lockfile outside the project: an error at `lockfile`, the file never quoted', async () => {
    const dir = repository('lockfile: ../../../../../../../../etc/passwd\n');
    const result = await runCli(['plan', '--offline'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain('root:');
    expect(result.stdout + result.stderr).toContain('ppio.config.yaml:1:11  error  outside-project  `lockfile` must be a file inside the project');
  });

  it("an environment's lockfile outside the project: an error at its line", async () => {
    const dir = repository('environments:\n  prod:\n    lockfile: ../prod.lock.json\n');
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ppio.config.yaml:3:15  error  outside-project  `lockfile` must be a file inside the project');
  });

  it('a lockfile that is a symbolic link out of the project: an error', async () => {
    const dir = repository('lockfile: ppio.lock.json\n');
    symlinkSync('/etc/passwd', path.join(dir, 'ppio.lock.json'));
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('`lockfile` must be a file inside the project: it is a symbolic link that leads outside the project');
  });
});

describe('validate never drops a spec file silently', () => {
  it('a broken symbolic link and a symbolic link loop are located errors', async () => {
    const dir = repository("specs: ['endpoints']\n");
    symlinkSync('missing.yaml', path.join(dir, 'endpoints/broken.yaml'));
    symlinkSync('loop-b.yaml', path.join(dir, 'endpoints/loop-a.yaml'));
    symlinkSync('loop-a.yaml', path.join(dir, 'endpoints/loop-b.yaml'));
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'endpoints/broken.yaml:1:1  error  unreadable-file  cannot read the file: it does not exist (or is a broken symbolic link)',
    );
    expect(result.stdout).toContain('endpoints/loop-a.yaml:1:1  error  unreadable-file  cannot read the file: too many levels of symbolic links');
    expect(result.stdout).toContain('3 errors in 4 files (1 endpoint)');
  });

  it('a symbolic link to a FIFO or a device is refused, and its code frame is never read', async () => {
    const dir = repository("specs: ['endpoints']\n");
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    symlinkSync('../pipe.yaml', path.join(dir, 'endpoints/pipe.yaml'));
    const result = await validate(dir, '--format', 'text');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('endpoints/pipe.yaml:1:1  error  unreadable-file  cannot read the file: it is not a regular file');
  });

  it('`specs` with only exclusions is an error, not "✓ 0 files"', async () => {
    const dir = repository("specs: ['!endpoints/ok.yaml']\n");
    const result = await validate(dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ppio.config.yaml:1:9  error  no-spec-patterns  `specs` holds only exclusions');
  });

  it('a lockfile or saved plan that is a FIFO is refused, not read (which would block forever)', async () => {
    const dir = repository("specs: ['endpoints']\n");
    execFileSync('mkfifo', [path.join(dir, 'ppio.lock.json'), path.join(dir, 'plan.json')]);
    const plan = await runCli(['plan', '--offline'], { cwd: dir });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('cannot read ppio.lock.json: it is not a regular file');
    const apply = await runCli(['apply', 'plan.json'], { cwd: dir, env: { PPIO_API_KEY: 'k', PPIO_BASE_URL: 'http://127.0.0.1:9' } });
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain('cannot read plan file plan.json: it is not a regular file');
  });
});
