import { existsSync } from 'node:fs';

/**
 * A file shipped with the package (package.json, schemas/), found upward from this module:
 * the source, the compiled files and the bundled CLI sit at different depths below the root.
 */
export function packageFile(relative: string): URL {
  let folder = new URL('.', import.meta.url);
  for (
    let parent = new URL('..', folder);
    !existsSync(new URL('package.json', folder)) && parent.href !== folder.href;
    parent = new URL('..', parent)
  ) {
    folder = parent;
  }
  return new URL(relative, folder);
}
