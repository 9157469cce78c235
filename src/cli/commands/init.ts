import { lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RefusedError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';
import { hasLocalSchemas } from '../project.js';
import { readVersion } from '../version.js';

/** Writes the starter files into the working directory; all of them or none. */
export async function run(ctx: CommandContext): Promise<number> {
  const { starterFiles, STARTER_PATHS } = await import('../../schema/starter-files.js');
  const target = (relative: string) => path.join(ctx.cwd, ...relative.split('/'));

  const existing = STARTER_PATHS.filter((relative) => pathExists(target(relative)));
  if (existing.length > 0) {
    throw new RefusedError(`init would overwrite ${existing.join(', ')}; nothing was written (move or delete ${existing.length === 1 ? 'it' : 'them'} first)`);
  }

  const installedLocally = hasLocalSchemas(ctx.cwd);
  const files = starterFiles({ version: readVersion(), installedLocally });
  writeAllOrNone(files.map((file) => ({ absolute: target(file.path), content: file.content })));

  for (const file of files) ctx.stdout.write(`Wrote ${file.path}\n`);
  ctx.stdout.write(`
Next steps:
  1. Edit endpoints/example.yaml (editors with the YAML language server check it as you type).
  2. ppio-deploy validate
  3. Try it locally: run \`ppio-deploy emulator\`, then set PPIO_BASE_URL to the URL it prints,
     PPIO_API_KEY=anything, and run \`ppio-deploy plan\` and \`ppio-deploy apply\`.
  4. For real: set PPIO_API_KEY to your PPIO API key, and add it as a secret named
     PPIO_API_KEY to the GitHub repository for .github/workflows/ppio-deploy.yaml.
`);
  return 0;
}

function pathExists(absolute: string): boolean {
  try {
    lstatSync(absolute);
    return true;
  } catch {
    return false;
  }
}

/** `wx` never replaces a file created since the check; a failure removes what was written. */
function writeAllOrNone(files: { absolute: string; content: string }[]): void {
  const written: string[] = [];
  try {
    for (const file of files) {
      mkdirSync(path.dirname(file.absolute), { recursive: true });
      writeFileSync(file.absolute, file.content, { flag: 'wx' });
      written.push(file.absolute);
    }
  } catch (error) {
    for (const absolute of written) rmSync(absolute, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new RefusedError(`init would overwrite ${(error as NodeJS.ErrnoException).path ?? 'a file'}; nothing was written`);
    }
    throw error;
  }
}
