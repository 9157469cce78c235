import { existsSync } from 'node:fs';

/**
 * A file shipped with the package (package.json, schemas/), found upward from this module:
 * the source, the compiled files and the bundled CLI sit at different depths below the root.
 * The root is the first folder up holding both package.json and schemas/: the bundled CLI's
 * folder has a package.json of its own that only marks its entry as CommonJS.
 */
export function packageFile(relative: string): URL {
  let folder = new URL('.', import.meta.url);
  for (let parent = new URL('..', folder); !isPackageRoot(folder) && parent.href !== folder.href; parent = new URL('..', parent)) {
    folder = parent;
  }
  return new URL(relative, folder);
}

const isPackageRoot = (folder: URL): boolean => existsSync(new URL('package.json', folder)) && existsSync(new URL('schemas', folder));
