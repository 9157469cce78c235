import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { open } from 'node:fs/promises';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LockfileError } from '../../src/common/errors.js';
import {
  emptyLockfile,
  journalPathFor,
  openLockfileSession,
  readLockfile,
  readLockfileSnapshot,
  readLockfileSnapshotNow,
  serializeLockfile,
  writeFileAtomic,
} from '../../src/lockfile/index.js';
import { encodeJournalOp } from '../../src/lockfile/journal.js';
import { sampleEntry } from '../helpers/sample-config.js';

let dir: string;
let lockfilePath: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-lockfile-'));
  lockfilePath = path.join(dir, 'ppio.lock.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readLockfile', () => {
  it('reads a missing lockfile as empty and writes nothing', async () => {
    expect(await readLockfile(lockfilePath)).toEqual(emptyLockfile());
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replays a journal left by a killed apply, ignoring a torn last line, without writing', async () => {
    writeFileSync(lockfilePath, serializeLockfile({ ...emptyLockfile(), endpoints: { old: sampleEntry('old', 'aaaaaaaaaaaaaaaa') } }));
    const journal = [
      JSON.stringify({ op: 'pending', pending: { name: 'fresh', appName: 'fresh', source: 'endpoints/fresh.yaml' } }),
      JSON.stringify({ op: 'endpoint', name: 'fresh', entry: sampleEntry('fresh', 'bbbbbbbbbbbbbbbb') }),
      JSON.stringify({ op: 'remove', name: 'old' }),
      JSON.stringify({ op: 'pending', pending: { name: 'next', source: 'endpoints/next.yaml' } }),
      '{"op":"endpoint","name":"next","entry":{"id":"cc',
    ].join('\n');
    writeFileSync(journalPathFor(lockfilePath), journal);
    const before = readFileSync(lockfilePath, 'utf8');

    const lockfile = await readLockfile(lockfilePath);

    expect(Object.keys(lockfile.endpoints)).toEqual(['fresh']);
    expect(lockfile.endpoints['fresh']?.id).toBe('bbbbbbbbbbbbbbbb');
    expect(lockfile.pending).toEqual([{ name: 'next', source: 'endpoints/next.yaml' }]);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(before);
    expect(readFileSync(journalPathFor(lockfilePath), 'utf8')).toBe(journal);
  });

  it('refuses a lockfile whose applied config is not valid, naming the entry, and leaves it untouched', async () => {
    const entry = { ...sampleEntry('sdxl'), applied: {} };
    const text = JSON.stringify({ lockfileVersion: 1, endpoints: { sdxl: entry }, pending: [] });
    writeFileSync(lockfilePath, text);
    const problem = /ppio\.lock\.json is not a valid ppio-deploy lockfile: \/endpoints\/sdxl\/applied is not a valid endpoint config: missing name/;

    await expect(readLockfile(lockfilePath, 'ppio.lock.json')).rejects.toThrow(problem);
    await expect(openLockfileSession(lockfilePath, { displayName: 'ppio.lock.json' })).rejects.toThrow(problem);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['ppio.lock.json']);
  });

  it.each([
    ['an endpoint record with only an id', { op: 'endpoint', name: 'x', entry: { id: 'abc' } }, /\/entry\/url must be a string/],
    [
      'an endpoint record whose applied config is not valid',
      { op: 'endpoint', name: 'x', entry: { ...sampleEntry('x'), applied: { name: 'x' } } },
      /\/entry\/applied is not a valid endpoint config: missing workerConfig/,
    ],
    ['a pending record without a source', { op: 'pending', pending: { name: 'x' } }, /\/pending\/source must be a string/],
    ['an unknown op', { op: 'rename', name: 'x' }, /unknown op "rename"/],
    ['an unknown key', { op: 'remove', name: 'x', id: 'y' }, /unknown key "id"/],
    ['a URL record without an id', { op: 'url', name: 'x', url: 'https://x' }, /\/id must be a string/],
  ])('refuses %s, even as the last line, before folding anything in', async (_case, record, problem) => {
    const before = serializeLockfile({ ...emptyLockfile(), endpoints: { old: sampleEntry('old', 'aaaaaaaaaaaaaaaa') } });
    writeFileSync(lockfilePath, before);
    writeFileSync(journalPathFor(lockfilePath), `${JSON.stringify({ op: 'remove', name: 'old' })}\n${JSON.stringify(record)}\n`);
    await expect(readLockfile(lockfilePath, 'ppio.lock.json')).rejects.toThrow(/ppio\.lock\.json\.journal is damaged at line 2/);
    await expect(readLockfile(lockfilePath, 'ppio.lock.json')).rejects.toThrow(problem);
    await expect(openLockfileSession(lockfilePath, { displayName: 'ppio.lock.json' })).rejects.toThrow(LockfileError);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(before);
  });

  it('replays a URL record onto the entry that still has its id, and ignores one whose id it no longer records', async () => {
    writeFileSync(lockfilePath, serializeLockfile({ ...emptyLockfile(), endpoints: { a: { ...sampleEntry('a', 'aaaaaaaaaaaaaaaa'), url: '' } } }));
    const journal = [
      JSON.stringify({ op: 'endpoint', name: 'b', entry: { ...sampleEntry('b', 'bbbbbbbbbbbbbbbb'), url: '' } }),
      JSON.stringify({ op: 'url', name: 'a', id: 'aaaaaaaaaaaaaaaa', url: 'https://a.example' }),
      JSON.stringify({ op: 'url', name: 'b', id: 'cccccccccccccccc', url: 'https://wrong.example' }),
      JSON.stringify({ op: 'url', name: 'gone', id: 'dddddddddddddddd', url: 'https://gone.example' }),
    ].join('\n');
    writeFileSync(journalPathFor(lockfilePath), `${journal}\n`);

    const lockfile = await readLockfile(lockfilePath);

    expect(lockfile.endpoints['a']).toEqual({ ...sampleEntry('a', 'aaaaaaaaaaaaaaaa'), url: 'https://a.example' });
    expect(lockfile.endpoints['b']?.url).toBe('');
    expect(Object.keys(lockfile.endpoints)).toEqual(['a', 'b']);
  });

  it('refuses a journal damaged before its last line', async () => {
    writeFileSync(journalPathFor(lockfilePath), `garbage\n${JSON.stringify({ op: 'remove', name: 'x' })}\n`);
    await expect(readLockfile(lockfilePath, 'ppio.lock.json')).rejects.toThrow(/ppio\.lock\.json\.journal is damaged at line 1/);
  });
});

describe('readLockfileSnapshotNow (the head start reads in one go)', () => {
  it('reads what readLockfileSnapshot reads: a missing lockfile, a lockfile with a journal', async () => {
    const same = async () =>
      expect(readLockfileSnapshotNow(lockfilePath, 'ppio.lock.json')).toEqual(await readLockfileSnapshot(lockfilePath, 'ppio.lock.json'));
    await same();
    writeFileSync(lockfilePath, serializeLockfile({ ...emptyLockfile(), endpoints: { old: sampleEntry('old', 'aaaaaaaaaaaaaaaa') } }));
    writeFileSync(
      journalPathFor(lockfilePath),
      `${JSON.stringify({ op: 'endpoint', name: 'fresh', entry: sampleEntry('fresh', 'bbbbbbbbbbbbbbbb') })}\n`,
    );
    await same();
    expect(Object.keys(readLockfileSnapshotNow(lockfilePath).lockfile.endpoints)).toEqual(['old', 'fresh']);
  });

  it('refuses what readLockfileSnapshot refuses, with the same message', async () => {
    mkdirSync(lockfilePath);
    await expect(readLockfileSnapshot(lockfilePath, 'ppio.lock.json')).rejects.toThrow(/cannot read ppio\.lock\.json: it is a directory/);
    expect(() => readLockfileSnapshotNow(lockfilePath, 'ppio.lock.json')).toThrow(
      new LockfileError('cannot read ppio.lock.json: it is a directory, not a file'),
    );
  });
});

describe('openLockfileSession', () => {
  it('records endpoints and pending creates, and close() leaves only the deterministic lockfile', async () => {
    const session = await openLockfileSession(lockfilePath);
    await session.recordPending({ name: 'b', appName: 'b', source: 'endpoints/b.yaml' });
    await session.recordEndpoint('a', sampleEntry('a', '1111111111111111'));
    await session.recordPending({ name: 'c', source: 'endpoints/c.yaml' });
    await session.recordEndpoint('b', sampleEntry('b', '2222222222222222'));
    await session.clearPending('c');
    expect(session.current().pending).toEqual([]);
    await session.close();
    await session.close();

    const expected = { ...emptyLockfile(), endpoints: { a: sampleEntry('a', '1111111111111111'), b: sampleEntry('b', '2222222222222222') } };
    expect(readFileSync(lockfilePath, 'utf8')).toBe(serializeLockfile(expected));
    expect(readdirSync(dir)).toEqual(['ppio.lock.json']);
  });

  it('makes each record durable before it resolves (lockfile + journal on disk hold it)', async () => {
    const session = await openLockfileSession(lockfilePath);
    try {
      await session.recordPending({ name: 'a', appName: 'a', source: 'endpoints/a.yaml' });
      expect((await readLockfile(lockfilePath)).pending).toEqual([{ name: 'a', appName: 'a', source: 'endpoints/a.yaml' }]);
      await session.recordEndpoint('a', sampleEntry('a'));
      const onDisk = await readLockfile(lockfilePath);
      expect(onDisk.endpoints['a']).toEqual(sampleEntry('a'));
      expect(onDisk.pending).toEqual([]);
      await session.removeEndpoint('a');
      expect((await readLockfile(lockfilePath)).endpoints).toEqual({});
    } finally {
      await session.close();
    }
  });

  it('fsyncs the journal holding a record before the record resolves (a power cut cannot lose it)', async () => {
    // FileHandle is not exported: take its prototype from a handle, and note what the journal
    // holds each time any handle is synced.
    const probe = await open(path.join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const journalAtSync: string[] = [];
    const original = prototype.sync;
    const spy = jest.spyOn(prototype, 'sync').mockImplementation(function (this: unknown) {
      const journal = journalPathFor(lockfilePath);
      journalAtSync.push(existsSync(journal) ? readFileSync(journal, 'utf8') : '');
      return original.call(this);
    });
    const session = await openLockfileSession(lockfilePath);
    try {
      await session.recordPending({ name: 'a', appName: 'a', source: 'endpoints/a.yaml' });
      expect(journalAtSync.some((text) => text.includes('"name":"a"'))).toBe(true);
    } finally {
      spy.mockRestore();
      await session.close();
    }
  });

  it('records a URL as a small journal line, and every rewrite of the lockfile has the entries as they are now', async () => {
    const session = await openLockfileSession(lockfilePath);
    // The first record outgrows the empty lockfile: it is compacted at once, its entry text kept.
    await session.recordEndpoint('a', { ...sampleEntry('a', 'aaaaaaaaaaaaaaaa'), url: '' });
    const before = session.writeStats().journalBytes;
    await session.recordUrl('a', 'aaaaaaaaaaaaaaaa', 'https://a.example');
    expect(session.writeStats().journalBytes - before).toBeLessThan(120);
    expect((await readLockfile(lockfilePath)).endpoints['a']?.url).toBe('https://a.example');
    await session.recordEndpoint('b', sampleEntry('b', 'bbbbbbbbbbbbbbbb'));
    await session.recordEndpoint('b', { ...sampleEntry('b', 'bbbbbbbbbbbbbbbb'), source: 'endpoints/moved.yaml' });
    await session.close();
    expect(session.writeStats().compactions).toBeGreaterThan(1);

    const expected = {
      ...emptyLockfile(),
      endpoints: {
        a: { ...sampleEntry('a', 'aaaaaaaaaaaaaaaa'), url: 'https://a.example' },
        b: { ...sampleEntry('b', 'bbbbbbbbbbbbbbbb'), source: 'endpoints/moved.yaml' },
      },
    };
    expect(readFileSync(lockfilePath, 'utf8')).toBe(serializeLockfile(expected));
  });

  it("keeps its own copy of a recorded config: changing the caller's object afterwards changes nothing", async () => {
    const session = await openLockfileSession(lockfilePath);
    const entry = sampleEntry('a', 'aaaaaaaaaaaaaaaa');
    await session.recordEndpoint('a', entry);
    (entry.applied as { name: string }).name = 'changed';
    expect(session.current().endpoints['a']?.applied.name).toBe('a');
    await session.close();
    expect(readFileSync(lockfilePath, 'utf8')).toBe(
      serializeLockfile({ ...emptyLockfile(), endpoints: { a: sampleEntry('a', 'aaaaaaaaaaaaaaaa') } }),
    );
  });

  it('does not create a lockfile when nothing was recorded', async () => {
    const session = await openLockfileSession(lockfilePath);
    await session.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('compacts a leftover journal when it opens', async () => {
    writeFileSync(journalPathFor(lockfilePath), `${JSON.stringify({ op: 'endpoint', name: 'a', entry: sampleEntry('a') })}\n{"op":`);
    const session = await openLockfileSession(lockfilePath);
    expect(existsSync(journalPathFor(lockfilePath))).toBe(false);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(serializeLockfile({ ...emptyLockfile(), endpoints: { a: sampleEntry('a') } }));
    await session.recordEndpoint('b', sampleEntry('b', 'bbbbbbbbbbbbbbbb'));
    await session.close();
    expect(Object.keys((await readLockfile(lockfilePath)).endpoints)).toEqual(['a', 'b']);
  });

  it.each([
    ['invalid JSON', '{"lockfileVersion": 1,'],
    ['an unknown version', '{"lockfileVersion": 7, "endpoints": {}, "pending": []}'],
    ['a wrong shape', '{"lockfileVersion": 1, "endpoints": {"a": 1}, "pending": []}'],
  ])('refuses %s, never overwrites it, and releases the lock', async (_case, text) => {
    writeFileSync(lockfilePath, text);
    await expect(openLockfileSession(lockfilePath, { displayName: 'ppio.lock.json' })).rejects.toThrow(LockfileError);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['ppio.lock.json']);
  });

  describe.each(['constructor', '__proto__'])('an entry named %s', (name) => {
    const entry = sampleEntry(name, '3333333333333333');
    const expected = serializeLockfile({ ...emptyLockfile(), endpoints: Object.fromEntries([[name, entry]]) });

    it('is an own entry after journal replay, and compaction writes it', async () => {
      writeFileSync(journalPathFor(lockfilePath), encodeJournalOp({ op: 'endpoint', name, entry }));
      const replayed = await readLockfile(lockfilePath);
      expect(Object.keys(replayed.endpoints)).toEqual([name]);
      expect(Object.getPrototypeOf(replayed.endpoints)).toBe(Object.prototype);
      expect(serializeLockfile(replayed)).toBe(expected);

      await (await openLockfileSession(lockfilePath)).close();
      expect(readFileSync(lockfilePath, 'utf8')).toBe(expected);
      expect(Object.keys((await readLockfile(lockfilePath)).endpoints)).toEqual([name]);
    });

    it('is recorded, found and written by a session', async () => {
      const session = await openLockfileSession(lockfilePath);
      await session.recordEndpoint(name, entry);
      expect(session.entry(name)).toEqual(entry);
      expect(session.nameOf(entry.id)).toBe(name);
      await session.close();
      expect(readFileSync(lockfilePath, 'utf8')).toBe(expected);
    });
  });

  it('rewrites a version 1 lockfile as version 2 for the bound origin, and only once the run binds it', async () => {
    const v1 = `${JSON.stringify({ lockfileVersion: 1, endpoints: { sdxl: sampleEntry('sdxl') }, pending: [] })}\n`;
    writeFileSync(lockfilePath, v1);
    const refused = await openLockfileSession(lockfilePath);
    expect(refused.snapshot().text).toBe(v1);
    await refused.close();
    expect(readFileSync(lockfilePath, 'utf8')).toBe(v1);

    const session = await openLockfileSession(lockfilePath);
    session.bindOrigin('http://127.0.0.1:8787');
    await session.close();
    expect(readFileSync(lockfilePath, 'utf8')).toBe(
      serializeLockfile({ lockfileVersion: 2, api: 'http://127.0.0.1:8787', endpoints: { sdxl: sampleEntry('sdxl') }, pending: [] }),
    );
  });

  it('leaves a current lockfile for the same origin byte for byte as it was', async () => {
    const text = serializeLockfile({ ...emptyLockfile(), api: 'https://api.ppio.com', endpoints: { sdxl: sampleEntry('sdxl') } });
    writeFileSync(lockfilePath, text);
    const session = await openLockfileSession(lockfilePath);
    session.bindOrigin('https://api.ppio.com');
    expect(session.writeStats().compactions).toBe(0);
    await session.close();
    expect(session.writeStats().compactions).toBe(0);
    expect(readFileSync(lockfilePath, 'utf8')).toBe(text);
  });

  it('rejects records after close', async () => {
    const session = await openLockfileSession(lockfilePath);
    await session.close();
    await expect(session.recordEndpoint('a', sampleEntry('a'))).rejects.toThrow(/session is closed/);
  });

  it('writes a number of bytes linear in the number of records (no full rewrite per record)', async () => {
    const bytesFor = async (count: number): Promise<{ total: number; final: number }> => {
      const target = path.join(dir, `linear-${count}.json`);
      const session = await openLockfileSession(target);
      for (let index = 0; index < count; index += 1) {
        const name = `endpoint-${String(index).padStart(4, '0')}`;
        await session.recordEndpoint(name, sampleEntry(name, index.toString(16).padStart(16, '0')));
      }
      await session.close();
      const stats = session.writeStats();
      return { total: stats.journalBytes + stats.lockfileBytes, final: readFileSync(target).length };
    };
    const small = await bytesFor(250);
    const large = await bytesFor(1000);
    // A rewrite per record would write ~N/2 times the final size (~500x at 1,000 records).
    expect(large.total).toBeLessThan(6 * large.final);
    expect(large.total / small.total).toBeLessThan(6);
  });

  it('group-commits concurrent records into fewer journal writes', async () => {
    const session = await openLockfileSession(lockfilePath);
    await Promise.all(Array.from({ length: 200 }, (_, index) => session.recordPending({ name: `p${index}`, source: 's' })));
    const stats = session.writeStats();
    expect(stats.journalAppends).toBeLessThan(20);
    expect(session.current().pending).toHaveLength(200);
    await session.close();
    expect((await readLockfile(lockfilePath)).pending).toHaveLength(200);
  });
});

describe('a reader while a session compacts', () => {
  it('sees every record that was durable when it began reading, though the lockfile is replaced under it', async () => {
    const session = await openLockfileSession(lockfilePath);
    let durable = 0;
    let writing = true;
    const writer = (async () => {
      for (let index = 0; index < 150; index += 1) {
        const name = `ep-${String(index).padStart(3, '0')}`;
        await session.recordEndpoint(name, sampleEntry(name, index.toString(16).padStart(16, '0')));
        durable = index + 1;
      }
      writing = false;
    })();
    const missed: string[] = [];
    while (writing) {
      const expected = durable;
      const seen = Object.keys((await readLockfile(lockfilePath)).endpoints).length;
      if (seen < expected) missed.push(`${seen} of ${expected}`);
    }
    await writer;
    expect(session.writeStats().compactions).toBeGreaterThan(3);
    await session.close();
    expect(missed).toEqual([]);
  });
});

describe('a crash between compaction and emptying the journal', () => {
  it('leaves files that read back to recorded state: a cleared create intent never comes back', async () => {
    // Each capture is what a SIGKILL at that instant would leave on disk.
    const captures: { lockfile: string; journal: string }[] = [];
    const journalPath = journalPathFor(lockfilePath);
    const session = await openLockfileSession(lockfilePath, {
      beforeJournalTruncate: () => captures.push({ lockfile: readFileSync(lockfilePath, 'utf8'), journal: readFileSync(journalPath, 'utf8') }),
    });
    const names = Array.from({ length: 40 }, (_, index) => `ep-${index}`);
    await Promise.all(names.map((name) => session.recordPending({ name, appName: name, source: `endpoints/${name}.yaml` })));
    // Records issued back to back queue up while earlier group commits (and compactions) run.
    await Promise.all(names.map((name, index) => session.recordEndpoint(name, sampleEntry(name, index.toString(16).padStart(16, '0')))));
    // The journal is compacted during the run, not only at the end: it stays small.
    expect(session.writeStats().compactions).toBeGreaterThan(0);
    await session.close();
    expect(captures.length).toBeGreaterThan(0);

    for (const [index, capture] of captures.entries()) {
      const crashDir = mkdtempSync(path.join(dir, `crash-${index}-`));
      const crashLockfile = path.join(crashDir, 'ppio.lock.json');
      writeFileSync(crashLockfile, capture.lockfile);
      writeFileSync(journalPathFor(crashLockfile), capture.journal);
      const lockfile = await readLockfile(crashLockfile);
      const recordedAndPending = lockfile.pending.filter((intent) => intent.name in lockfile.endpoints).map((intent) => intent.name);
      expect({ capture: index, recordedAndPending }).toEqual({ capture: index, recordedAndPending: [] });
    }
  });
});

describe('writeFileAtomic', () => {
  it('leaves the old file whole when the write stops between the temp file and the rename', async () => {
    writeFileSync(lockfilePath, 'old contents\n');
    let tempSeen = '';
    const crash = async (tempPath: string): Promise<void> => {
      tempSeen = readFileSync(tempPath, 'utf8');
      throw new Error('simulated crash');
    };
    await expect(writeFileAtomic(lockfilePath, 'new contents\n', { beforeRename: crash })).rejects.toThrow('simulated crash');
    expect(tempSeen).toBe('new contents\n');
    expect(readFileSync(lockfilePath, 'utf8')).toBe('old contents\n');
    expect(readdirSync(dir)).toEqual(['ppio.lock.json']);
  });

  it('replaces the file when nothing goes wrong', async () => {
    writeFileSync(lockfilePath, 'old contents\n');
    await writeFileAtomic(lockfilePath, 'new contents\n');
    expect(readFileSync(lockfilePath, 'utf8')).toBe('new contents\n');
  });
});
