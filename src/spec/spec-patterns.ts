/**
 * What the config's `specs` patterns say about a path, without reading the disk: where a new
 * spec file goes by default, and whether a file there would be loaded. Patterns are relative
 * to the project root; `!pattern` excludes; a plain name without glob characters is a folder
 * (its spec files) unless it names a spec file itself, as loadSpecs reads it.
 */
import picomatch from 'picomatch';
import { isDynamicPattern } from 'tinyglobby';

const SPEC_EXTENSION = /\.(ya?ml|json)$/i;
const SPEC_FILES_IN_FOLDER = '**/*.{yaml,yml,json}';

const trimDotSlash = (pattern: string): string => pattern.replace(/^(\.\/)+/, '').replace(/\/+$/, '');

function asGlob(pattern: string): string {
  const trimmed = trimDotSlash(pattern);
  if (isDynamicPattern(trimmed) || SPEC_EXTENSION.test(trimmed)) return trimmed;
  return trimmed === '' || trimmed === '.' ? SPEC_FILES_IN_FOLDER : `${trimmed}/${SPEC_FILES_IN_FOLDER}`;
}

/** The folder the first including pattern starts in ('' for the project root). */
export function defaultSpecFolder(patterns: readonly string[]): string {
  const first = patterns.find((pattern) => !pattern.startsWith('!'));
  if (first === undefined) return '';
  const base = picomatch.scan(asGlob(first)).base;
  return SPEC_EXTENSION.test(base) ? base.split('/').slice(0, -1).join('/') : base;
}

/** Whether loadSpecs would find `file` (relative to the project root, forward slashes). */
export function matchesSpecPatterns(patterns: readonly string[], file: string): boolean {
  const matcher = (list: string[]) => (list.length === 0 ? () => false : picomatch(list.map(asGlob), { dot: false }));
  const included = matcher(patterns.filter((pattern) => !pattern.startsWith('!')));
  const excluded = matcher(patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1)));
  return included(file) && !excluded(file);
}
