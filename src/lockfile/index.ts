export * from './types.js';
export { serializeLockfile, parseLockfile } from './serialize.js';
export { lockEntryOf } from './entries.js';
export { writeFileAtomic, type AtomicWriteOptions } from './atomic-write.js';
export {
  readLockfile,
  openLockfileSession,
  journalPathFor,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_STALE_MS,
  type LockfileSession,
  type LockfileSessionOptions,
  type LockfileWriteStats,
} from './store.js';
