import { LockfileError } from '../common/errors.js';
import { isRecord } from '../common/record.js';
import { lockEntryOf, setLockEntry } from './entries.js';
import { checkLockEntry, checkPendingCreate, type Fail } from './serialize.js';
import type { LockEntry, Lockfile, PendingCreate } from './types.js';

/**
 * One lockfile mutation, as one line of `<lockfile>.journal`. Every operation is a keyed
 * assignment, so replaying a journal onto a lockfile that already holds its effects (a crash
 * between compaction and journal removal) gives the same result — provided the lockfile holds
 * nothing newer than the journal's last line, which is why compaction waits for an empty queue.
 */
export type JournalOp =
  | { op: 'pending'; pending: PendingCreate }
  | { op: 'clear-pending'; name: string }
  | { op: 'endpoint'; name: string; entry: LockEntry }
  /** The URL of an endpoint recorded earlier with `url: ""` (a create answers only the id); ignored unless `name` still records `id`. */
  | { op: 'url'; name: string; id: string; url: string }
  | { op: 'remove'; name: string };

export const encodeJournalOp = (op: JournalOp): string => `${JSON.stringify(op)}\n`;

/** Applies one mutation to a lockfile in place. */
export function applyJournalOp(lockfile: Lockfile, op: JournalOp): void {
  switch (op.op) {
    case 'pending':
      dropPending(lockfile, op.pending.name);
      countIntent(lockfile.pending, op.pending.name, +1);
      lockfile.pending.push(op.pending);
      return;
    case 'clear-pending':
      dropPending(lockfile, op.name);
      return;
    case 'endpoint':
      setLockEntry(lockfile, op.name, op.entry);
      dropPending(lockfile, op.name);
      return;
    case 'url': {
      const entry = lockEntryOf(lockfile, op.name);
      // A new object: the session's serializer caches each entry's text by the entry object.
      if (entry?.id === op.id) setLockEntry(lockfile, op.name, { ...entry, url: op.url });
      return;
    }
    case 'remove':
      delete lockfile.endpoints[op.name];
      return;
  }
}

/** Whether the lockfile holds a create intent for `name`. */
export const hasPendingIntent = (lockfile: Lockfile, name: string): boolean => intentCounts(lockfile.pending).has(name);

/**
 * In place: an apply of N creates records and drops N intents, and a copy of the list, or a
 * search of it for a name it does not hold, each time would be O(N²).
 */
function dropPending(lockfile: Lockfile, name: string): void {
  if (!hasPendingIntent(lockfile, name)) return;
  lockfile.pending.splice(
    lockfile.pending.findIndex((p) => p.name === name),
    1,
  );
  countIntent(lockfile.pending, name, -1);
}

/**
 * How many intents a list holds for each name (a hand-edited lockfile may repeat one), by
 * list. Only this file changes a list in place, and keeps the counts in step; everything else
 * makes new lists.
 */
const intentCountsByList = new WeakMap<PendingCreate[], Map<string, number>>();

function intentCounts(list: PendingCreate[]): Map<string, number> {
  let counts = intentCountsByList.get(list);
  if (counts === undefined) {
    counts = new Map();
    for (const intent of list) counts.set(intent.name, (counts.get(intent.name) ?? 0) + 1);
    intentCountsByList.set(list, counts);
  }
  return counts;
}

function countIntent(list: PendingCreate[], name: string, change: 1 | -1): void {
  const counts = intentCounts(list);
  const count = (counts.get(name) ?? 0) + change;
  if (count > 0) counts.set(name, count);
  else counts.delete(name);
}

/**
 * Replays a journal's text onto `lockfile`. A last line that is not JSON is a write torn by a
 * crash (its operation never completed) and is ignored. Any other line that is not a
 * complete, valid record means the journal was damaged some other way: an error, before
 * anything of it reaches the lockfile (every later command would reject what it folded in).
 */
export function replayJournal(lockfile: Lockfile, text: string, file: string): void {
  const lines = text.split('\n');
  const lastIndex = lines.length - 1;
  const ops: JournalOp[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseJournalLine(line);
    if (typeof parsed === 'object') ops.push(parsed);
    else if (parsed === TORN && index === lastIndex) return;
    else {
      const problem = parsed === TORN ? 'not JSON' : parsed;
      throw new LockfileError(
        `${file} is damaged at line ${index + 1} (${problem}); it was left unchanged. Remove it only if ${file.replace(/\.journal$/, '')} already lists every endpoint.`,
      );
    }
  });
  for (const op of ops) applyJournalOp(lockfile, op);
}

const TORN = Symbol('torn');

/** The record on one line, TORN when it is not JSON, or what is wrong with it. */
function parseJournalLine(line: string): JournalOp | typeof TORN | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return TORN;
  }
  if (!isRecord(value)) return 'a record must be an object';
  const fail: Fail = (problem) => {
    throw new JournalRecordProblem(problem);
  };
  try {
    switch (value['op']) {
      case 'pending':
        checkKeys(value, ['op', 'pending'], fail);
        checkPendingCreate(value['pending'], '/pending', fail);
        break;
      case 'endpoint':
        checkKeys(value, ['op', 'name', 'entry'], fail);
        if (typeof value['name'] !== 'string') fail('/name must be a string');
        checkLockEntry(value['entry'], '/entry', fail);
        break;
      case 'url':
        checkKeys(value, ['op', 'name', 'id', 'url'], fail);
        for (const key of ['name', 'id', 'url']) if (typeof value[key] !== 'string') fail(`/${key} must be a string`);
        break;
      case 'clear-pending':
      case 'remove':
        checkKeys(value, ['op', 'name'], fail);
        if (typeof value['name'] !== 'string') fail('/name must be a string');
        break;
      default:
        fail(`unknown op ${JSON.stringify(value['op'])}`);
    }
  } catch (error) {
    if (error instanceof JournalRecordProblem) return error.message;
    throw error;
  }
  return value as JournalOp;
}

class JournalRecordProblem extends Error {}

function checkKeys(record: Record<string, unknown>, known: string[], fail: Fail): void {
  const unknown = Object.keys(record).find((key) => !known.includes(key));
  if (unknown !== undefined) fail(`unknown key "${unknown}"`);
}
