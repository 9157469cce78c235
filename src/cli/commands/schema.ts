import { readFileSync } from 'node:fs';
import { UsageError } from '../../common/errors.js';
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
  // dist/cli/commands/ → the package root.
  ctx.stdout.write(readFileSync(new URL(`../../../schemas/${file}`, import.meta.url), 'utf8'));
  return 0;
}
