import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli, tempProject } from '../helpers/cli.js';

const STARTER = ['ppio.config.yaml', 'endpoints/example.yaml', '.github/workflows/ppio-deploy.yaml'];

describe('ppio-deploy init', () => {
  it('writes the starter files into an empty folder, and the result validates', async () => {
    const project = tempProject();
    try {
      const init = await runCli(['init'], { cwd: project.dir });
      expect(init.code).toBe(0);
      for (const file of STARTER) {
        expect(existsSync(path.join(project.dir, file))).toBe(true);
        expect(init.stdout).toContain(`Wrote ${file}\n`);
      }
      expect(init.stdout).toContain('Next steps:');
      const validate = await runCli(['validate'], { cwd: project.dir });
      expect(validate).toMatchObject({ code: 0, stdout: '✓ 1 file, 1 endpoint valid\n' });
    } finally {
      project.cleanup();
    }
  });

  it('the example carries the yaml-language-server modeline (published URL when not installed locally)', async () => {
    const project = tempProject();
    try {
      await runCli(['init'], { cwd: project.dir });
      const example = readFileSync(path.join(project.dir, 'endpoints/example.yaml'), 'utf8');
      expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=https://ppio-deploy.dev/schemas/endpoint.schema.json');
      const config = readFileSync(path.join(project.dir, 'ppio.config.yaml'), 'utf8');
      expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=https://ppio-deploy.dev/schemas/config.schema.json');
    } finally {
      project.cleanup();
    }
  });

  it('points the modeline at node_modules when ppio-deploy is installed in the project', async () => {
    const project = tempProject({ 'node_modules/ppio-deploy/schemas/endpoint.schema.json': '{}' });
    try {
      await runCli(['init'], { cwd: project.dir });
      const example = readFileSync(path.join(project.dir, 'endpoints/example.yaml'), 'utf8');
      expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/ppio-deploy/schemas/endpoint.schema.json');
    } finally {
      project.cleanup();
    }
  });

  it('writes a workflow that validates and plans on pull requests and applies on main', async () => {
    const project = tempProject();
    try {
      await runCli(['init'], { cwd: project.dir });
      const workflow = parse(readFileSync(path.join(project.dir, '.github/workflows/ppio-deploy.yaml'), 'utf8')) as {
        jobs: Record<string, { if: string; steps: { run?: string; env?: Record<string, string> }[] }>;
      };
      expect(Object.keys(workflow.jobs)).toEqual(['plan', 'apply']);
      const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');
      expect(runs('plan')).toMatch(/ppio-deploy@[\d.]+ validate --format github/);
      expect(runs('plan')).toMatch(/ppio-deploy@[\d.]+ plan/);
      expect(runs('apply')).toMatch(/ppio-deploy@[\d.]+ apply --auto-approve/);
      expect(runs('apply')).toContain('git add ppio.lock.json');
      expect(workflow.jobs['apply']!.steps.some((s) => s.env?.['PPIO_API_KEY'] === '${{ secrets.PPIO_API_KEY }}')).toBe(true);
    } finally {
      project.cleanup();
    }
  });

  it('refuses to overwrite any existing file and writes nothing at all', async () => {
    const project = tempProject({ 'endpoints/example.yaml': 'mine\n' });
    try {
      const result = await runCli(['init'], { cwd: project.dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('init would overwrite endpoints/example.yaml; nothing was written');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(path.join(project.dir, 'endpoints/example.yaml'), 'utf8')).toBe('mine\n');
      expect(existsSync(path.join(project.dir, 'ppio.config.yaml'))).toBe(false);
      expect(existsSync(path.join(project.dir, '.github'))).toBe(false);
    } finally {
      project.cleanup();
    }
  });

  it('a second init in the same folder is refused', async () => {
    const project = tempProject();
    try {
      expect((await runCli(['init'], { cwd: project.dir })).code).toBe(0);
      const again = await runCli(['init'], { cwd: project.dir });
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('init would overwrite ppio.config.yaml, endpoints/example.yaml, .github/workflows/ppio-deploy.yaml');
    } finally {
      project.cleanup();
    }
  });
});
