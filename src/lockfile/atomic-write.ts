import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** Runs after the temp file is durable and before the rename; lets tests simulate a crash there. */
  beforeRename?: (tempPath: string) => Promise<void> | void;
}

/**
 * Replaces `target` with `content` so that, at every instant, the file holds either the
 * old bytes or the new ones: write a temp file beside it, fsync it, rename it over the
 * target, fsync the folder. The target is never truncated in place.
 */
export async function writeFileAtomic(target: string, content: string, options: AtomicWriteOptions = {}): Promise<void> {
  const folder = path.dirname(target);
  const tempPath = path.join(folder, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tempPath, 'wx', 0o644);
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.(tempPath);
    await rename(tempPath, target);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncFolder(folder);
}

/** Makes a rename or unlink in `folder` durable. Not every platform can open a folder: best effort. */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows and some file systems refuse to fsync a directory; the rename is still atomic.
  }
}
