/**
 * Each mistake with variables and environments is one located error and exit 1, through the
 * built CLI (offline: nothing here needs an API).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { basicSpecYaml, runCli, tempProject } from '../helpers/cli.js';

const projects: { cleanup(): void }[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
});

const CONFIG = `vars: {tag: "1.0"}
environments:
  staging:
    vars: {workers: 2}
    patches: ["overlays/staging/*.yaml"]
  prod:
    vars: {workers: 8}
`;

/** A staging + prod project; `files` replace or add files. */
async function run(args: string[], files: Record<string, string>, env: Record<string, string> = {}) {
  const project = tempProject({
    'ppio.config.yaml': CONFIG,
    'endpoints/sdxl.yaml': basicSpecYaml('sdxl').replace('image: ghcr.io/acme/sdxl:1.4.2', 'image: ghcr.io/acme/sdxl:${var:tag}'),
    'overlays/staging/sdxl.yaml': 'name: sdxl\n',
    ...files,
  });
  projects.push(project);
  const result = await runCli([...args, '--format', 'json'], { cwd: project.dir, env });
  return { code: result.code, output: JSON.parse(result.stdout) };
}

const errorsOf = (output: { errors?: unknown[]; error?: { diagnostics?: unknown[] } }) => output.errors ?? output.error?.diagnostics;

describe('located errors, exit 1', () => {
  it('a missing variable, at its line', async () => {
    const spec = basicSpecYaml('sdxl').replace('command: python -m server --port 8080', 'command: serve --model ${var:MODEL}');
    const { code, output } = await run(['validate'], { 'endpoints/sdxl.yaml': spec });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([
      expect.objectContaining({ file: 'endpoints/sdxl.yaml', line: 6, column: 12, rule: 'missing-variable', path: '/image/command' }),
    ]);
    expect((errorsOf(output) as { message: string }[])[0]?.message).toContain(
      'variable `MODEL` is not set: pass --var MODEL=VALUE, set PPIO_VAR_MODEL',
    );
  });

  it('a variable that is not a whole number in an integer field, naming where it was set', async () => {
    const spec = basicSpecYaml('sdxl').replace('maxNum: 4', 'maxNum: ${var:workers}');
    const { code, output } = await run(['plan', '--env', 'prod', '--offline'], { 'endpoints/sdxl.yaml': spec }, { PPIO_VAR_workers: 'many' });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([
      expect.objectContaining({
        file: 'endpoints/sdxl.yaml',
        line: 9,
        column: 11,
        rule: 'variable-not-integer',
        message: '`workerConfig.maxNum` takes a whole number, but variable `workers` (from PPIO_VAR_workers) is "many"',
      }),
    ]);
  });

  it('a patch for a spec that does not exist, at the patch', async () => {
    const { code, output } = await run(['plan', '--env', 'staging', '--offline'], {
      'overlays/staging/whisper.yaml': '# typo\nname: whisperr\nrootfsSize: 50\n',
    });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([
      expect.objectContaining({
        file: 'overlays/staging/whisper.yaml',
        line: 2,
        column: 7,
        rule: 'patch-unknown-spec',
        message: 'this patch is for `whisperr`, but no spec has that name (specs: sdxl)',
      }),
    ]);
  });

  it('a patch that makes the spec invalid, at the patch line', async () => {
    const patch = 'name: sdxl\nports:\n  - port: 2222\nworkerConfig:\n  minNum: 9\n';
    const { code, output } = await run(['validate', '--env', 'staging'], { 'overlays/staging/sdxl.yaml': patch });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([
      expect.objectContaining({ file: 'overlays/staging/sdxl.yaml', line: 3, column: 11, rule: 'reserved-port' }),
      expect.objectContaining({ file: 'overlays/staging/sdxl.yaml', line: 5, column: 11, path: '/workerConfig/minNum' }),
    ]);
  });

  it('a patch that removes a required key, at the removal', async () => {
    const { code, output } = await run(['validate', '--env', 'staging'], { 'overlays/staging/sdxl.yaml': 'name: sdxl\nhealthy: null\n' });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([expect.objectContaining({ file: 'overlays/staging/sdxl.yaml', line: 2, column: 1, rule: 'missing-key' })]);
  });

  it('validate checks every environment: a patch of one environment fails it without --env', async () => {
    const { code, output } = await run(['validate'], { 'overlays/staging/sdxl.yaml': 'name: sdxl\nrootfsSize: 0\n' });
    expect(code).toBe(1);
    expect(errorsOf(output)).toEqual([expect.objectContaining({ file: 'overlays/staging/sdxl.yaml', line: 2, rule: 'range' })]);
    expect((await run(['validate', '--env', 'prod'], { 'overlays/staging/sdxl.yaml': 'name: sdxl\nrootfsSize: 0\n' })).code).toBe(0);
  });

  it.each([
    ['${var:…}', 'name: sdxl-${var:tag}'],
    ['${env:…}', 'name: sdxl-${env:TAG}'],
  ])('%s in `name`, at its line', async (_kind, line) => {
    const { code, output } = await run(['validate'], {
      'endpoints/sdxl.yaml': basicSpecYaml('sdxl').replace('name: sdxl', line),
      'overlays/staging/sdxl.yaml': 'name: sdxl-x\n',
    });
    expect(code).toBe(1);
    expect(errorsOf(output)).toContainEqual(
      expect.objectContaining({ file: 'endpoints/sdxl.yaml', line: 2, column: 7, rule: 'interpolation-not-allowed', path: '/name' }),
    );
  });

  it('an unknown --env or PPIO_ENV names the choices; a missing one asks for it', async () => {
    const unknown = await run(['plan', '--env', 'qa', '--offline'], {});
    expect(unknown).toMatchObject({ code: 1, output: { error: { message: '--env qa: no such environment; choose one of: prod, staging' } } });
    const fromVariable = await run(['plan', '--offline'], {}, { PPIO_ENV: 'qa' });
    expect(fromVariable).toMatchObject({ code: 1, output: { error: { message: 'PPIO_ENV qa: no such environment; choose one of: prod, staging' } } });
    const missing = await run(['plan', '--offline'], {});
    expect(missing).toMatchObject({
      code: 1,
      output: { error: { message: 'this project has environments (prod, staging): choose one with --env NAME or PPIO_ENV' } },
    });
  });

  it('a malformed --var names the flag', async () => {
    const result = await runCli(['validate', '--var', 'no-equals'], { cwd: tempProject().dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--var <NAME=VALUE>' argument 'no-equals' is invalid");
  });
});

describe('variables resolve, first match wins', () => {
  const spec = basicSpecYaml('sdxl')
    .replace('image: ghcr.io/acme/sdxl:1.4.2', 'image: "ghcr.io/acme/sdxl:${var:tag}"')
    .replace('maxNum: 4', 'maxNum: ${var:workers}');
  const image = async (env: Record<string, string>, flags: string[] = []) => {
    const { code, output } = await run(['plan', '--offline', '--env', 'staging', ...flags], { 'endpoints/sdxl.yaml': spec }, env);
    expect(code).toBe(0);
    const fields = output.changes[0].fields as { path: string; after: unknown }[];
    return [fields.find((f) => f.path === '/image/image')?.after, fields.find((f) => f.path === '/workerConfig/maxNum')?.after];
  };

  it('--var, then PPIO_VAR_NAME, then the environment, then the top-level vars', async () => {
    expect(await image({})).toEqual(['ghcr.io/acme/sdxl:1.0', 2]);
    expect(await image({ PPIO_VAR_tag: 'sha-1', PPIO_VAR_workers: '3' })).toEqual(['ghcr.io/acme/sdxl:sha-1', 3]);
    expect(await image({ PPIO_VAR_tag: 'sha-1' }, ['--var', 'tag=sha-2', '--var', 'workers=5'])).toEqual(['ghcr.io/acme/sdxl:sha-2', 5]);
  });
});

describe('patch files inside the spec folders', () => {
  it('are patches only, never loaded as specs', async () => {
    const config = CONFIG.replace('overlays/staging/*.yaml', 'endpoints/overlays/staging/*.yaml');
    const { code, output } = await run(['validate'], {
      'ppio.config.yaml': config,
      'endpoints/overlays/staging/sdxl.yaml': 'name: sdxl\nrootfsSize: 120\n',
    });
    expect(code).toBe(0);
    expect(output).toMatchObject({ valid: true, endpoints: 1 });
  });
});
