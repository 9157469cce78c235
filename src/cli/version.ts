import { readFileSync } from 'node:fs';
import { packageFile } from '../common/package-file.js';

/** Read from package.json at run time so a release never forgets to bump it. */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
