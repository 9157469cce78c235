import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli, tempProject } from '../helpers/cli.js';

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

  it('when ppio-deploy is not installed in the project, writes the schemas and points the modelines at them', async () => {
    const project = tempProject();
    try {
      const init = await runCli(['init'], { cwd: project.dir });
      expect(init.stdout).toContain('Wrote .ppio-deploy/endpoint.schema.json\n');
      const example = readFileSync(path.join(project.dir, 'endpoints/example.yaml'), 'utf8');
      expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=../.ppio-deploy/endpoint.schema.json');
      const config = readFileSync(path.join(project.dir, 'ppio.config.yaml'), 'utf8');
      expect(config.split('\n')[0]).toBe('# yaml-language-server: $schema=./.ppio-deploy/config.schema.json');
      // Each modeline resolves, from its own file, to the schema ppio-deploy ships.
      for (const [file, which] of [
        ['endpoints/example.yaml', 'endpoint'],
        ['ppio.config.yaml', 'config'],
      ] as const) {
        const reference = readFileSync(path.join(project.dir, file), 'utf8').split('\n')[0]!.split('$schema=')[1]!;
        const target = path.resolve(path.dirname(path.join(project.dir, file)), reference);
        expect(readFileSync(target, 'utf8')).toBe(readFileSync(path.join(repoRoot, `schemas/${which}.schema.json`), 'utf8'));
      }
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
      expect(existsSync(path.join(project.dir, '.ppio-deploy'))).toBe(false);
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
      expect(again.stderr).toContain(
        'init would overwrite ppio.config.yaml, endpoints/example.yaml, .github/workflows/ppio-deploy.yaml, .ppio-deploy/endpoint.schema.json, .ppio-deploy/config.schema.json',
      );
    } finally {
      project.cleanup();
    }
  });
});
