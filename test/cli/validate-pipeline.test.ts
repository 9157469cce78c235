/** validate and plan share one loading pipeline, so they report the same problem the same way. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runCli, tempProject } from '../helpers/cli.js';

let project: ReturnType<typeof tempProject> | undefined;
afterEach(() => project?.cleanup());

describe('a specs pattern that matches nothing', () => {
  it('is reported at its entry in the config, by validate and by plan alike', async () => {
    project = tempProject({ 'ppio.config.yaml': '# project\nspecs:\n  - "nothing/*.yaml"\n' });
    const validate = await runCli(['validate', '--format', 'json'], { cwd: project.dir });
    expect(validate.code).toBe(1);
    const [error] = JSON.parse(validate.stdout).errors;
    expect(error).toMatchObject({ file: 'ppio.config.yaml', line: 3, column: 5, rule: 'no-spec-files', path: '/specs/0' });
    expect(error.message).not.toContain('the default');

    const plan = await runCli(['plan', '--format', 'json'], { cwd: project.dir });
    expect(plan.code).toBe(1);
    expect(JSON.parse(plan.stdout).error.diagnostics[0]).toEqual({ ...error, severity: 'error' });
  });
});
