import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { makeDiagnostic, type Diagnostic } from '../common/diagnostic.js';
import { parseSpecText } from './parse-spec-text.js';
import { readSpecFile } from './read-spec-file.js';
import type { LoadSpecsOptions, LoadSpecsResult } from './types.js';

/** What a pattern naming a folder (without glob characters) stands for. */
const SPEC_FILES_IN_FOLDER = '**/*.{yaml,yml,json}';

/**
 * Finds the spec files the patterns name (relative to rootDir; sorted; dot files skipped;
 * `!pattern` excludes), reads and parses them. Problems come back as diagnostics.
 */
export async function loadSpecs(options: LoadSpecsOptions): Promise<LoadSpecsResult> {
  const { absolutePaths, diagnostics } = await findSpecFiles(options);
  const relative = absolutePaths.map((absolutePath) => toDisplayPath(options.cwd, absolutePath));
  const perFile = absolutePaths.map((absolutePath, i) => {
    const file = relative[i] as string;
    const read = readSpecFile(absolutePath, file);
    return read.bytes ? parseSpecText(read.bytes, file, absolutePath) : { documents: [], diagnostics: read.diagnostics };
  });
  // flatMap, not push(...): a file may hold more documents than a call has room for arguments.
  const documents = perFile.flatMap((result) => result.documents);
  return { documents, files: relative, diagnostics: diagnostics.concat(perFile.flatMap((result) => result.diagnostics)) };
}

/** `file` as diagnostics print it: relative to the working directory, forward slashes. */
export function toDisplayPath(cwd: string, absolutePath: string): string {
  return path.relative(cwd, absolutePath).split(path.sep).join('/') || '.';
}

async function findSpecFiles(options: LoadSpecsOptions): Promise<{ absolutePaths: string[]; diagnostics: Diagnostic[] }> {
  const exclusions = options.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const [index, pattern] of options.patterns.entries()) {
    if (pattern.startsWith('!')) continue;
    const matches = await glob(await expandFolder(options.rootDir, pattern), {
      cwd: options.rootDir,
      ignore: exclusions,
      absolute: true,
      dot: false,
      onlyFiles: true,
      expandDirectories: false,
    });
    if (matches.length === 0) diagnostics.push(noSpecFiles(options, pattern, index));
    for (const match of matches) found.add(path.resolve(match));
  }
  const absolutePaths = [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { absolutePaths, diagnostics };
}

/** A plain folder name means the spec files inside it, as users of kubectl -f DIR expect. */
async function expandFolder(rootDir: string, pattern: string): Promise<string> {
  if (isDynamicPattern(pattern)) return pattern;
  try {
    const info = await stat(path.resolve(rootDir, pattern));
    return info.isDirectory() ? `${pattern.replace(/\/+$/, '')}/${SPEC_FILES_IN_FOLDER}` : pattern;
  } catch {
    return pattern;
  }
}

function noSpecFiles(options: LoadSpecsOptions, pattern: string, index: number): Diagnostic {
  const folder = toDisplayPath(options.cwd, options.rootDir);
  const where = folder === '.' ? '' : ` in ${folder}`;
  if (options.configFile && options.locatePattern) {
    const file = toDisplayPath(options.cwd, options.configFile);
    const kind = options.fileKind ?? 'spec';
    const pointer = `${options.patternsPointer ?? '/specs'}/${index}`;
    return makeDiagnostic(`no-${kind}-files`, `no ${kind} files match \`${pattern}\`${where}`, file, options.locatePattern(index), pointer);
  }
  const file = toDisplayPath(options.cwd, options.configFile ?? options.rootDir);
  const message = `no spec files match \`${pattern}\`${where} (the default \`specs\`); add spec files or set \`specs\` in ppio.config.yaml`;
  return makeDiagnostic('no-spec-files', message, file);
}
