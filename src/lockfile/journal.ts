import { LockfileError } from '../common/errors.js';
import { isRecord } from '../common/record.js';
import { setLockEntry } from './entries.js';
import type { LockEntry, Lockfile, PendingCreate } from './types.js';

/**
 * One lockfile mutation, as one line of `<lockfile>.journal`. Every operation is a keyed
 * assignment, so replaying a journal onto a lockfile that already holds some of its
 * effects (a crash between compaction and journal removal) gives the same result.
 */
export type JournalOp =
  | { op: 'pending'; pending: PendingCreate }
  | { op: 'clear-pending'; name: string }
  | { op: 'endpoint'; name: string; entry: LockEntry }
  | { op: 'remove'; name: string };

export const encodeJournalOp = (op: JournalOp): string => `${JSON.stringify(op)}\n`;

/** Applies one mutation to a lockfile in place. */
export function applyJournalOp(lockfile: Lockfile, op: JournalOp): void {
  switch (op.op) {
    case 'pending':
      lockfile.pending = [...lockfile.pending.filter((p) => p.name !== op.pending.name), op.pending];
      return;
    case 'clear-pending':
      lockfile.pending = lockfile.pending.filter((p) => p.name !== op.name);
      return;
    case 'endpoint':
      setLockEntry(lockfile, op.name, op.entry);
      lockfile.pending = lockfile.pending.filter((p) => p.name !== op.name);
      return;
    case 'remove':
      delete lockfile.endpoints[op.name];
      return;
  }
}

/**
 * Replays a journal's text onto `lockfile`. A last line that does not parse is a write torn
 * by a crash (its operation never completed) and is ignored; a bad line before the end means
 * the journal was damaged some other way and is an error.
 */
export function replayJournal(lockfile: Lockfile, text: string, file: string): void {
  const lines = text.split('\n');
  const lastIndex = lines.length - 1;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const op = parseJournalLine(line);
    if (op) applyJournalOp(lockfile, op);
    else if (index !== lastIndex) {
      throw new LockfileError(`${file} is damaged at line ${index + 1}; it was left unchanged. Remove it only if ${file.replace(/\.journal$/, '')} already lists every endpoint.`);
    }
  });
}

function parseJournalLine(line: string): JournalOp | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  switch (value['op']) {
    case 'pending':
      return isRecord(value['pending']) && typeof value['pending']['name'] === 'string' ? (value as JournalOp) : undefined;
    case 'endpoint':
      return typeof value['name'] === 'string' && isRecord(value['entry']) && typeof value['entry']['id'] === 'string' ? (value as JournalOp) : undefined;
    case 'clear-pending':
    case 'remove':
      return typeof value['name'] === 'string' ? (value as JournalOp) : undefined;
    default:
      return undefined;
  }
}
