/**
 * Reading files the user names, safely: only regular files (a FIFO blocks a read forever and
 * /dev/zero never ends), and only inside the project, so a committed pattern or symbolic link
 * cannot make the CLI read, and quote in an error, a file such as `.git/config`.
 */
import { existsSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** The file's bytes; refuses anything that is not a regular file before reading it. */
export async function readRegularFile(file: string): Promise<Buffer> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error(notRegularReason(info));
  return readFile(file);
}

/** readRegularFile in one go, for a read that must not wait for the event loop. */
export function readRegularFileSync(file: string): Buffer {
  const info = statSync(file);
  if (!info.isFile()) throw new Error(notRegularReason(info));
  return readFileSync(file);
}

const notRegularReason = (info: Stats): string => (info.isDirectory() ? 'it is a directory, not a file' : 'it is not a regular file');

/** Whether `target` is `folder` itself or lies below it (lexically; both absolute). */
export function isInside(folder: string, target: string): boolean {
  return relativeBelow(folder, target) !== undefined;
}

/** `target` relative to `folder` when it is `folder` itself (`''`) or lies below it (lexically; both absolute). */
export function relativeBelow(folder: string, target: string): string | undefined {
  // A thousand spec files take the quick way: the folder's path, then no `.` or `..` segment.
  const prefix = folder.endsWith(path.sep) ? folder : `${folder}${path.sep}`;
  if (target.startsWith(prefix) && !DOT_SEGMENT.test(target.slice(prefix.length))) return target.slice(prefix.length);
  const relative = path.relative(folder, target);
  const below = relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
  return below ? relative : undefined;
}

const DOT_SEGMENT = /(?:^|[\\/])\.\.?(?:[\\/]|$)/;
const GIT_SEGMENT = path.sep === '/' ? /(?:^|\/)\.git(?:\/|$)/ : /(?:^|[\\/])\.git(?:[\\/]|$)/;

/**
 * Why the file at `absolutePath` must not be read as part of the project rooted at
 * `projectRoot`, following symbolic links; undefined when it may be (or does not resolve:
 * the reader then reports that).
 */
export function outsideProjectReason(absolutePath: string, projectRoot: string): string | undefined {
  try {
    // The native call resolves in one go; the JS one lstats each folder of the path.
    return outsideReasonOfRealPath(realpathSync.native(absolutePath), projectRoot);
  } catch {
    return undefined;
  }
}

/** Why a file whose real (fully resolved) path is `real` is out of bounds for the project, if it is. */
export function outsideReasonOfRealPath(real: string, projectRoot: string): string | undefined {
  const root = realRoots.get(projectRoot) ?? realRoots.set(projectRoot, realpathSync.native(projectRoot)).get(projectRoot)!;
  const relative = relativeBelow(root, real);
  if (relative === undefined) return 'it is a symbolic link that leads outside the project';
  if (GIT_SEGMENT.test(relative)) return 'it is inside the .git folder, or a link into it';
  return undefined;
}

/** Real paths of project roots, resolved once per run (a thousand spec files share one). */
const realRoots = new Map<string, string>();

/** What the project is, for messages. */
export const PROJECT_MEANS = "the repository holding the config, or the config's folder outside a repository";

export function findProjectRoot(configFolder: string): string {
  for (let dir = configFolder; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return configFolder;
  }
}
