export * from './types.js';
export { serializeLockfile, parseLockfile, parseLockfileText } from './serialize.js';
export { lockEntryOf } from './entries.js';
export { writeFileAtomic } from './atomic-write.js';
export {
  readLockfile,
  readLockfileSnapshot,
  readLockfileSnapshotNow,
  openLockfileSession,
  journalPathFor,
  type LockfileSession,
  type LockfileSnapshot,
} from './store.js';
export { apiOriginOf, assertLockfileOrigin, assertRecordedMostlyLive } from './binding.js';
