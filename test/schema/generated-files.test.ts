import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSchemas } from '../../src/schema/render.js';
import { repoRoot } from '../helpers/cli.js';

describe('schemas/ is generated from src/schema/definitions.ts', () => {
  for (const [file, expected] of Object.entries(renderSchemas())) {
    it(`${file} is up to date (run \`npm run schemas\` if this fails)`, () => {
      const committed = readFileSync(path.join(repoRoot, 'schemas', file), 'utf8');
      expect(committed).toBe(expected);
    });
  }
});

describe('src/schema/validators.js is generated from schemas/', () => {
  it('is up to date (run `npm run schemas` if this fails)', () => {
    const check = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-validators.js'), '--check'], { encoding: 'utf8' });
    expect(check.status).toBe(0);
  });
});
