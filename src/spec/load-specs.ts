import * as fs from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { makeDiagnostic, type Diagnostic } from '../common/diagnostic.js';
import { PROJECT_MEANS, isInside, relativeBelow } from '../common/files.js';
import { parseSpecText } from './parse-spec-text.js';
import { specFileReader } from './read-spec-file.js';
import type { LoadSpecsOptions, LoadSpecsResult } from './types.js';

/** What a pattern naming a folder (without glob characters) stands for. */
const SPEC_FILES_IN_FOLDER = '**/*.{yaml,yml,json}';
/** Longest stretch of reading and parsing without a turn of the event loop. */
const TURN_MS = 5;

/**
 * Finds the spec files the patterns name (relative to rootDir; sorted; dot files skipped;
 * `!pattern` excludes), reads and parses them. Problems come back as diagnostics.
 */
export async function loadSpecs(options: LoadSpecsOptions): Promise<LoadSpecsResult> {
  const { absolutePaths, diagnostics } = await findSpecFiles(options);
  const relative = absolutePaths.map((absolutePath) => toDisplayPath(options.cwd, absolutePath));
  const readSpecFile = specFileReader(options.projectRoot ?? options.rootDir);
  const perFile: ReturnType<typeof parseSpecText>[] = [];
  // The first turn comes before the first file: early reads begun just before (plan's) get
  // their connections set up and their requests sent now, not after the first slice.
  let turnStarted = Number.NEGATIVE_INFINITY;
  for (const [i, absolutePath] of absolutePaths.entries()) {
    // Reading and parsing is CPU-bound: the event loop gets a turn every few milliseconds, so
    // work begun alongside (plan's early reads of the live state) goes on meanwhile.
    if (performance.now() - turnStarted > TURN_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      turnStarted = performance.now();
    }
    const file = relative[i] as string;
    const read = readSpecFile(absolutePath, file);
    perFile.push(read.bytes ? parseSpecText(read.bytes, file, absolutePath) : { documents: [], diagnostics: read.diagnostics });
  }
  // flatMap, not push(...): a file may hold more documents than a call has room for arguments.
  const documents = perFile.flatMap((result) => result.documents);
  return { documents, files: relative, diagnostics: diagnostics.concat(perFile.flatMap((result) => result.diagnostics)) };
}

/** `file` as diagnostics print it: relative to the working directory, forward slashes. */
export function toDisplayPath(cwd: string, absolutePath: string): string {
  const relative = relativeBelow(cwd, absolutePath) ?? path.relative(cwd, absolutePath);
  return (path.sep === '/' ? relative : relative.split(path.sep).join('/')) || '.';
}

/**
 * The glob's file system: a symbolic link that does not resolve (missing target, a loop) is
 * kept as a file, so reading it reports the problem instead of the file silently vanishing.
 */
const keepBrokenLinks = {
  ...fs,
  realpath: (file: string, callback: (error: null, resolved: string) => void) =>
    fs.realpath(file, (error, resolved) => callback(null, error ? file : resolved)),
  stat: (file: string, callback: (error: null, info: { isDirectory(): boolean }) => void) =>
    fs.stat(file, (error, info) => callback(null, error ? { isDirectory: () => false } : info)),
} as unknown as typeof fs;

async function findSpecFiles(options: LoadSpecsOptions): Promise<{ absolutePaths: string[]; diagnostics: Diagnostic[] }> {
  const exclusions = options.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const found = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  if (exclusions.length === options.patterns.length) diagnostics.push(onlyExclusions(options));
  const projectRoot = options.projectRoot ?? options.rootDir;
  for (const [index, pattern] of options.patterns.entries()) {
    if (pattern.startsWith('!')) continue;
    const matches = await glob(await expandFolder(options.rootDir, pattern), {
      cwd: options.rootDir,
      ignore: exclusions,
      absolute: true,
      dot: false,
      onlyFiles: true,
      expandDirectories: false,
      fs: keepBrokenLinks,
    });
    // tinyglobby's absolute paths are normalised, with `/` on every system: only Windows needs them rewritten.
    const native = path.sep === '/' ? matches : matches.map((match) => path.resolve(match));
    const inside = native.filter((match) => isInside(projectRoot, match));
    if (inside.length < matches.length) diagnostics.push(leavesProject(options, pattern, index));
    else if (matches.length === 0) diagnostics.push(noSpecFiles(options, pattern, index));
    for (const match of inside) found.add(match);
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

/** A problem with `specs[index]`, at its place in the config file (or the config file, or the folder). */
function patternDiagnostic(options: LoadSpecsOptions, index: number, rule: string, message: string): Diagnostic {
  const at = options.configFile && options.locatePattern ? options.locatePattern(index) : undefined;
  return makeDiagnostic(rule, message, toDisplayPath(options.cwd, options.configFile ?? options.rootDir), at, at ? `/specs/${index}` : '');
}

function onlyExclusions(options: LoadSpecsOptions): Diagnostic {
  const message = '`specs` holds only exclusions (`!…`), so it names no spec file; add a pattern such as `endpoints/**/*.yaml` before them';
  return patternDiagnostic(options, 0, 'no-spec-patterns', message);
}

function leavesProject(options: LoadSpecsOptions, pattern: string, index: number): Diagnostic {
  const message = `\`${pattern}\` matches files outside the project (${PROJECT_MEANS}); they were not read`;
  return patternDiagnostic(options, index, 'outside-project', message);
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
