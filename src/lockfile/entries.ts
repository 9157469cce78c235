import type { LockEntry, Lockfile } from './types.js';

/*
 * Entries are keyed by spec name, and a name may be any string, `__proto__` and
 * `constructor` included. Plain property access would set the object's prototype (the entry
 * silently lost) or find Object.prototype's members, so entries are own properties only.
 */

export const lockEntryOf = (lockfile: Lockfile, name: string): LockEntry | undefined =>
  Object.hasOwn(lockfile.endpoints, name) ? lockfile.endpoints[name] : undefined;

export function setLockEntry(lockfile: Lockfile, name: string, entry: LockEntry): void {
  // Only `__proto__` is an accessor on Object.prototype; any other name (or an own
  // `__proto__` already defined) is an ordinary assignment, several times cheaper.
  if (name === '__proto__' && !Object.hasOwn(lockfile.endpoints, name)) {
    Object.defineProperty(lockfile.endpoints, name, { value: entry, enumerable: true, writable: true, configurable: true });
  } else {
    lockfile.endpoints[name] = entry;
  }
}
