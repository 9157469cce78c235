import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../common/diagnostic.js';
import type { CommandContext } from './context.js';

/** Warnings never go to stdout, so `--format json | jq` keeps working. */
export function printWarnings(ctx: CommandContext, diagnostics: readonly Diagnostic[]): void {
  if (ctx.quiet) return;
  for (const d of diagnostics) {
    if (d.severity === 'warning') ctx.stderr.write(`${d.file}:${d.line}:${d.column}  warning  ${d.rule}  ${d.message}\n`);
  }
}

/** Writes a file the user asked for (a saved plan) so a crash never leaves half of it. */
export async function writeFileAtomic(ctx: CommandContext, file: string, text: string): Promise<void> {
  const target = path.resolve(ctx.cwd, file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
