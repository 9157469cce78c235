import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageFile } from '../../common/package-file.js';
import type { CommandContext } from '../context.js';
import { writeNewFiles } from '../output.js';
import { hasLocalSchemas } from '../project.js';
import { starterFiles } from '../../schema/starter-files.js';

/** Writes the starter files into the working directory; all of them or none. */
export async function run(ctx: CommandContext): Promise<number> {
  const target = (relative: string) => path.join(ctx.cwd, ...relative.split('/'));

  const files = starterFiles({
    installedLocally: hasLocalSchemas(ctx.cwd),
    schemas: { endpoint: shippedSchema('endpoint'), config: shippedSchema('config') },
  });
  writeNewFiles(
    'init',
    files.map((file) => ({ absolute: target(file.path), shown: file.path, content: file.content })),
    'move or delete what is in the way first',
  );

  for (const file of files) ctx.stdout.write(`Wrote ${file.path}\n`);
  ctx.stdout.write(`
Next steps:
  1. Edit endpoints/example.yaml (editors with the YAML language server check it as you type).
  2. ppio-deploy validate
  3. Try it locally: run \`ppio-deploy emulator\`, then set PPIO_BASE_URL to the URL it prints,
     PPIO_API_KEY=anything, and run \`ppio-deploy plan\` and \`ppio-deploy apply\`.
  4. For real: set PPIO_API_KEY to your PPIO API key, and add it as a secret named
     PPIO_API_KEY to the GitHub repository for .github/workflows/ppio-deploy.yaml.
  5. The workflow installs ppio-deploy with \`npm ci\`: commit package.json and
     package-lock.json with ppio-deploy as a devDependency (the README's "Install" says how).
`);
  return 0;
}

/** A schema this ppio-deploy ships (`schemas/` at the package root). */
const shippedSchema = (which: 'endpoint' | 'config'): string => readFileSync(packageFile(`schemas/${which}.schema.json`), 'utf8');
