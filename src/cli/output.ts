import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../common/errors.js';
import type { Diagnostic } from '../common/diagnostic.js';
import { valueAtPointer } from '../common/json-pointer.js';
import { parseTemplate } from '../common/template.js';
import type { DesiredEndpoint } from '../spec/types.js';
import type { CommandContext, Output } from './context.js';

/** Warnings never go to stdout, so `--format json | jq` keeps working. */
export function printWarnings(ctx: CommandContext, diagnostics: readonly Diagnostic[]): void {
  if (ctx.quiet) return;
  for (const d of diagnostics) {
    if (d.severity === 'warning') ctx.stderr.write(`${d.file}:${d.line}:${d.column}  warning  ${d.rule}  ${d.message}\n`);
  }
}

/** Writes a file the user asked for (a saved plan): atomically, or a clear error naming it. */
export async function writeUserFile(ctx: CommandContext, file: string, text: string): Promise<void> {
  const { writeFileAtomic } = await import('../lockfile/index.js');
  try {
    await writeFileAtomic(path.resolve(ctx.cwd, file), text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Code frames are shown only for files the loader accepts (it refuses larger ones). */
const MAX_SOURCE_BYTES = 1024 * 1024;

/** A file's text for code frames; undefined when it is missing, too large or not text. */
export function readSourceForFrames(cwd: string, file: string): string | undefined {
  try {
    const absolute = path.resolve(cwd, file);
    if (statSync(absolute).size > MAX_SOURCE_BYTES) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(absolute));
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** What a masked value prints as, the same words the plan uses. */
const MASK = '(sensitive)';
/** Shorter values are not masked: masking a value like "1" would garble ordinary text. */
const MIN_MASKED_LENGTH = 4;

/**
 * The values that must never be printed (DESIGN §4): the API key, every interpolated value
 * and every variable it came from. Longest first, so a value containing another is masked whole.
 */
export function sensitiveValues(desired: readonly DesiredEndpoint[], env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  const apiKey = env['PPIO_API_KEY']?.trim();
  if (apiKey) values.add(apiKey);
  for (const endpoint of desired) {
    for (const pointer of endpoint.sensitivePaths) {
      const resolved = valueAtPointer(endpoint.config, pointer);
      if (typeof resolved === 'string') values.add(resolved);
      const template = valueAtPointer(endpoint.recorded, pointer);
      if (typeof template !== 'string') continue;
      for (const part of parseTemplate(template).parts) {
        const value = 'env' in part ? env[part.env] : undefined;
        if (value) values.add(value);
      }
    }
  }
  return [...values].filter((value) => value.length >= MIN_MASKED_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * An output that masks sensitive values. Needed because the API may quote a value it refuses
 * in its error message (e.g. an unknown product id that came from `${env:…}`), and apply shows
 * those messages.
 */
export function maskingOutput(output: Output, secrets: readonly string[]): Output {
  if (secrets.length === 0) return output;
  return { write: (text) => output.write(secrets.reduce((masked, secret) => masked.split(secret).join(MASK), text)) };
}
