export * from './types.js';
export { serializeLockfile, parseLockfile } from './serialize.js';
export { lockEntryOf } from './entries.js';
export { writeFileAtomic } from './atomic-write.js';
export { readLockfile, openLockfileSession, journalPathFor, type LockfileSession } from './store.js';
