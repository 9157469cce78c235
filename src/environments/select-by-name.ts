import picomatch from 'picomatch';
import { asRecord } from '../common/record.js';
import type { SpecDocument } from '../spec/types.js';

/**
 * The documents an environment deploys: those whose `name` matches an `include` glob (all
 * when there is none) and no `exclude` glob. A document without a string name is kept, so
 * validation still reports it.
 */
export function selectByName(documents: readonly SpecDocument[], include: readonly string[] | undefined, exclude: readonly string[]): SpecDocument[] {
  if (include === undefined && exclude.length === 0) return [...documents];
  const included = include === undefined ? () => true : picomatch([...include], { dot: true });
  const excluded = exclude.length === 0 ? () => false : picomatch([...exclude], { dot: true });
  return documents.filter((document) => {
    const name = asRecord(document.value)?.['name'];
    return typeof name !== 'string' || (included(name) && !excluded(name));
  });
}
