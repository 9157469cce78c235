import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSpecs } from '../../src/spec/index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'ppio-load-specs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const DEFAULT = ['endpoints/**/*.{yaml,yml,json}'];

describe('loadSpecs', () => {
  const dir = project('basic', {
    'endpoints/b.yaml': 'name: b\n---\nname: b2\n',
    'endpoints/a.yml': 'name: a\n',
    'endpoints/nested/c.json': '[{"name": "c"}, {"name": "c2"}]',
    'endpoints/.hidden.yaml': 'name: hidden\n',
    'endpoints/.drafts/d.yaml': 'name: draft\n',
    'endpoints/README.md': '# not a spec\n',
    'endpoints/broken.yaml': 'name: [\n',
  });

  it('finds spec files sorted, skips dot files and other extensions, and parses every document', async () => {
    const result = await loadSpecs({ rootDir: dir, patterns: DEFAULT, cwd: dir });
    expect(result.files).toEqual(['endpoints/a.yml', 'endpoints/b.yaml', 'endpoints/broken.yaml', 'endpoints/nested/c.json']);
    expect(result.documents.map((d) => [d.file, d.index, (d.value as { name: string }).name])).toEqual([
      ['endpoints/a.yml', 0, 'a'],
      ['endpoints/b.yaml', 0, 'b'],
      ['endpoints/b.yaml', 1, 'b2'],
      ['endpoints/nested/c.json', 0, 'c'],
      ['endpoints/nested/c.json', 1, 'c2'],
    ]);
    expect(result.diagnostics).toMatchObject([{ rule: 'parse-error', file: 'endpoints/broken.yaml', line: 2, column: 1 }]);
  });

  it('reports files relative to the working directory, with forward slashes', async () => {
    const result = await loadSpecs({ rootDir: dir, patterns: ['endpoints/a.yml'], cwd: path.join(dir, 'endpoints/nested') });
    expect(result.files).toEqual(['../a.yml']);
    expect(result.documents[0]).toMatchObject({ file: '../a.yml', absolutePath: path.join(dir, 'endpoints/a.yml') });
  });

  it('`!pattern` excludes, and a file matched twice is loaded once', async () => {
    const result = await loadSpecs({ rootDir: dir, patterns: ['endpoints/**/*.yaml', 'endpoints/b.yaml', '!endpoints/broken.yaml'], cwd: dir });
    expect(result.files).toEqual(['endpoints/b.yaml']);
    expect(result.diagnostics).toEqual([]);
  });

  it('a plain folder name means the spec files inside it', async () => {
    const result = await loadSpecs({ rootDir: dir, patterns: ['endpoints/nested'], cwd: dir });
    expect(result.files).toEqual(['endpoints/nested/c.json']);
  });

  it('a pattern matching nothing points at it in the config file', async () => {
    const configFile = path.join(dir, 'ppio.config.yaml');
    const result = await loadSpecs({
      rootDir: dir,
      patterns: ['endpoints/a.yml', 'specs/*.yaml'],
      cwd: dir,
      configFile,
      locatePattern: (index) => ({ line: 2 + index, column: 5 }),
    });
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        rule: 'no-spec-files',
        message: 'no spec files match `specs/*.yaml`',
        file: 'ppio.config.yaml',
        line: 3,
        column: 5,
        path: '/specs/1',
      },
    ]);
  });

  it('default patterns matching nothing name the pattern', async () => {
    const empty = project('empty', { 'README.md': 'nothing\n' });
    const result = await loadSpecs({ rootDir: empty, patterns: DEFAULT, cwd: empty });
    expect(result.files).toEqual([]);
    expect(result.diagnostics).toMatchObject([{ rule: 'no-spec-files', file: '.', line: 1, column: 1 }]);
    expect(result.diagnostics[0]?.message).toContain('`endpoints/**/*.{yaml,yml,json}`');
  });
});

describe('loadSpecs on a file of many documents', () => {
  it('reads 150,000 documents of one JSON file (no argument-list overflow)', async () => {
    const dir = project('many', { 'endpoints/many.json': `[${Array(150_000).fill('{}').join(',')}]` });
    const result = await loadSpecs({ rootDir: dir, patterns: DEFAULT, cwd: dir });
    expect(result.documents).toHaveLength(150_000);
    expect(result.diagnostics).toEqual([]);
  });
});
