import { readFileSync } from 'node:fs';
import { UsageError } from '../../common/errors.js';
import { packageFile } from '../../common/package-file.js';
import type { CommandContext } from '../context.js';

const SCHEMA_FILES: Record<string, string> = {
  endpoint: 'endpoint.schema.json',
  config: 'config.schema.json',
};

/** Prints the committed schema file shipped in the package (`schemas/`), byte for byte. */
export async function run(ctx: CommandContext, _options: Record<string, unknown>, args: string[]): Promise<number> {
  const which = args[0] ?? 'endpoint';
  const file = Object.hasOwn(SCHEMA_FILES, which) ? SCHEMA_FILES[which] : undefined;
  if (file === undefined) {
    throw new UsageError(`unknown schema \`${which}\`; usage: ppio-deploy schema [endpoint|config]`);
  }
  ctx.stdout.write(readFileSync(packageFile(`schemas/${file}`), 'utf8'));
  return 0;
}
