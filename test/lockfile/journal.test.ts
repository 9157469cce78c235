import { describe, expect, it } from '@jest/globals';
import { applyJournalOp, hasPendingIntent } from '../../src/lockfile/journal.js';
import { emptyLockfile, type LockEntry } from '../../src/lockfile/types.js';

const entry = (id: string): LockEntry => ({ id, url: '', source: 'endpoints/a.yaml', applied: {} as LockEntry['applied'] });

describe('create intents in the journal', () => {
  it('an intent is held until its endpoint is recorded or it is cleared, one per name', () => {
    const lockfile = emptyLockfile();
    applyJournalOp(lockfile, { op: 'pending', pending: { name: 'a', source: 'endpoints/a.yaml' } });
    applyJournalOp(lockfile, { op: 'pending', pending: { name: 'b', source: 'endpoints/b.yaml' } });
    applyJournalOp(lockfile, { op: 'pending', pending: { name: 'a', source: 'endpoints/a2.yaml' } });
    expect(lockfile.pending).toEqual([
      { name: 'b', source: 'endpoints/b.yaml' },
      { name: 'a', source: 'endpoints/a2.yaml' },
    ]);
    applyJournalOp(lockfile, { op: 'endpoint', name: 'a', entry: entry('ep-a') });
    expect(hasPendingIntent(lockfile, 'a')).toBe(false);
    expect(hasPendingIntent(lockfile, 'b')).toBe(true);
    applyJournalOp(lockfile, { op: 'clear-pending', name: 'b' });
    applyJournalOp(lockfile, { op: 'clear-pending', name: 'never-recorded' });
    expect(lockfile.pending).toEqual([]);
    expect(hasPendingIntent(lockfile, 'b')).toBe(false);
  });

  it('a name a hand-edited lockfile repeats stays pending until each of its intents is dropped', () => {
    const lockfile = {
      ...emptyLockfile(),
      pending: [
        { name: 'a', source: 'x.yaml' },
        { name: 'a', source: 'y.yaml' },
      ],
    };
    applyJournalOp(lockfile, { op: 'clear-pending', name: 'a' });
    expect(hasPendingIntent(lockfile, 'a')).toBe(true);
    expect(lockfile.pending).toEqual([{ name: 'a', source: 'y.yaml' }]);
    applyJournalOp(lockfile, { op: 'endpoint', name: 'a', entry: entry('ep-a') });
    expect(hasPendingIntent(lockfile, 'a')).toBe(false);
    expect(lockfile.pending).toEqual([]);
  });
});
