import { lstatSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RefusedError, UsageError } from '../common/errors.js';
import { findProjectRoot, outsideProjectReason } from '../common/files.js';
import type { Diagnostic } from '../common/diagnostic.js';
import { valueAtPointer } from '../common/json-pointer.js';
import { MIN_SECRET_LENGTH } from '../common/secrets.js';
import { parseTemplate } from '../common/template.js';
import type { DesiredEndpoint } from '../spec/types.js';
import type { CommandContext } from './context.js';
import { writeFileAtomic } from '../lockfile/atomic-write.js';

/** Warnings never go to stdout, so `--format json | jq` keeps working. */
export function printWarnings(ctx: CommandContext, diagnostics: readonly Diagnostic[]): void {
  if (ctx.quiet) return;
  for (const d of diagnostics) {
    if (d.severity === 'warning') ctx.stderr.write(`${d.file}:${d.line}:${d.column}  warning  ${d.rule}  ${d.message}\n`);
  }
}

/** Writes a file the user asked for (a saved plan): atomically, or a clear error naming it. */
export async function writeUserFile(ctx: CommandContext, file: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path.resolve(ctx.cwd, file), text);
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export interface NewFile {
  absolute: string;
  /** As messages name it. */
  shown: string;
  content: string;
}

/**
 * Writes files that must not exist yet (init, export): all or none. One already there is
 * refused before anything is written; `wx` never replaces one created meanwhile, and a failure
 * removes what was written.
 */
export function writeNewFiles(command: string, files: readonly NewFile[], hint: string): void {
  const existing = files.filter((file) => pathExists(file.absolute)).map((file) => file.shown);
  if (existing.length > 0) throw new RefusedError(`${command} would overwrite ${existing.join(', ')}; nothing was written (${hint})`);
  const written: string[] = [];
  try {
    for (const file of files) {
      mkdirSync(path.dirname(file.absolute), { recursive: true });
      writeFileSync(file.absolute, file.content, { flag: 'wx' });
      written.push(file.absolute);
    }
  } catch (error) {
    for (const absolute of written) rmSync(absolute, { force: true });
    const { code, path: where } = error as NodeJS.ErrnoException;
    if (code === 'EEXIST') throw new RefusedError(`${command} would overwrite ${where ?? 'a file'}; nothing was written`);
    throw new RefusedError(`${command} cannot write ${where ?? 'its files'} (${code ?? (error as Error).message}); nothing was written`);
  }
}

function pathExists(absolute: string): boolean {
  try {
    lstatSync(absolute);
    return true;
  } catch {
    return false;
  }
}

/** Code frames are shown only for files the loader accepts (it refuses larger ones). */
const MAX_SOURCE_BYTES = 1024 * 1024;

/** Only spec and config files are quoted: a diagnostic may name any file a pattern matched. */
const QUOTABLE_NAME = /\.(?:ya?ml|json)$|^\.ppiorc$/i;

/**
 * A file's text for code frames; undefined when it is missing, not a spec or config file, not a
 * regular file, too large or not text, or when it leads outside its project or into `.git`.
 */
export function readSourceForFrames(cwd: string, file: string): string | undefined {
  try {
    const absolute = path.resolve(cwd, file);
    if (!QUOTABLE_NAME.test(path.basename(absolute)) || !QUOTABLE_NAME.test(path.basename(realpathSync(absolute)))) return undefined;
    if (outsideProjectReason(absolute, findProjectRoot(path.dirname(absolute)))) return undefined;
    const info = statSync(absolute);
    if (!info.isFile() || info.size > MAX_SOURCE_BYTES) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(absolute));
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

/**
 * What must never be printed besides the API key: every value a `${env:…}` variable gave and
 * every whole value holding one. A whole value shorter than MIN_SECRET_LENGTH holds no
 * variable's characters (shorter variables are refused), so it is plain text from the spec.
 */
export function sensitiveValues(desired: readonly DesiredEndpoint[], env: NodeJS.ProcessEnv): string[] {
  const values = new Set<string>();
  for (const endpoint of desired) {
    for (const pointer of endpoint.sensitivePaths) {
      const resolved = valueAtPointer(endpoint.config, pointer);
      if (typeof resolved === 'string' && resolved.length >= MIN_SECRET_LENGTH) values.add(resolved);
      const template = valueAtPointer(endpoint.recorded, pointer);
      if (typeof template !== 'string') continue;
      for (const part of parseTemplate(template).parts) {
        const value = 'env' in part ? env[part.env] : undefined;
        if (value) values.add(value);
      }
    }
  }
  return [...values];
}
