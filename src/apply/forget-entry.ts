import { UsageError } from '../common/errors.js';
import { lockEntryOf } from '../lockfile/entries.js';
import type { LockEntry, Lockfile } from '../lockfile/types.js';

/**
 * The rule of `forget NAME`: only a name the lockfile records can be forgotten. A typo must
 * not succeed silently (the user would think the endpoint is no longer managed).
 */
export function checkForget(lockfile: Lockfile, name: string): LockEntry {
  const entry = lockEntryOf(lockfile, name);
  if (entry) return entry;
  const known = Object.keys(lockfile.endpoints).sort();
  const listed = known.length === 0 ? 'it records none' : `it records ${known.join(', ')}`;
  throw new UsageError(`the lockfile has no endpoint named "${name}" (${listed})`);
}
