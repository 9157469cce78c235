import { readFileSync } from 'node:fs';

/** Read from package.json at run time so a release never forgets to bump it. */
export function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
