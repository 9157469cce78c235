/**
 * A lockfile that git left with conflict markers (two branches each added an endpoint). As
 * npm does for package-lock.json, both sides are read and their union is taken, when that is
 * safe: both sides parse, they name the same API, and no name or id is claimed twice.
 */
import { LockfileError } from '../common/errors.js';
import { setLockEntry } from './entries.js';
import type { Lockfile, PendingCreate } from './types.js';

/** One `<<<<<<<` … `>>>>>>>` region, with each side's lines. */
interface Hunk {
  /** 1-based line of the `<<<<<<<` marker. */
  line: number;
  ours: string;
  theirs: string;
}

export interface ConflictedText {
  /** The whole file as the current branch had it, and as the merged branch had it. */
  ours: string;
  theirs: string;
  hunks: Hunk[];
}

const MARKER = /^(<{7}|\|{7}|={7}|>{7})(?: |$)/;

/** The two sides of a file holding git conflict markers, or undefined when it holds none. */
export function splitConflict(text: string, file: string): ConflictedText | undefined {
  if (!/^<{7}(?: |$)/m.test(text)) return undefined;
  const ours: string[] = [];
  const theirs: string[] = [];
  const hunks: Hunk[] = [];
  let state: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  let hunk: { line: number; ours: string[]; theirs: string[] } | undefined;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const marker = MARKER.exec(line)?.[1]?.[0];
    const expected = { '<': 'both', '|': 'ours', '=': 'ours|base', '>': 'theirs' }[marker ?? ''];
    if (marker !== undefined && expected !== undefined && !expected.split('|').includes(state)) {
      throw conflictError(file, index + 1, `a "${line.slice(0, 7)}" marker where git would not write one`);
    }
    if (marker === '<') {
      state = 'ours';
      hunk = { line: index + 1, ours: [], theirs: [] };
    } else if (marker === '|') state = 'base';
    else if (marker === '=') state = 'theirs';
    else if (marker === '>' && hunk) {
      hunks.push({ line: hunk.line, ours: hunk.ours.join('\n'), theirs: hunk.theirs.join('\n') });
      state = 'both';
      hunk = undefined;
    } else {
      if (state === 'both' || state === 'ours') ours.push(line);
      if (state === 'both' || state === 'theirs') theirs.push(line);
      if (state === 'ours') hunk?.ours.push(line);
      if (state === 'theirs') hunk?.theirs.push(line);
    }
  });
  if (hunk) throw conflictError(file, hunk.line, 'the conflict that starts here never ends (no ">>>>>>>" line)');
  return { ours: ours.join('\n'), theirs: theirs.join('\n'), hunks };
}

/**
 * The union of both sides, or an error at the conflict's line when it cannot be taken
 * safely. An endpoint both sides record under the same name and id keeps the current
 * branch's entry; the next plan compares it with the live endpoint either way.
 */
export function unionOfSides(ours: Lockfile, theirs: Lockfile, conflict: ConflictedText, file: string): Lockfile {
  const firstLine = conflict.hunks[0]?.line ?? 1;
  if (ours.api !== undefined && theirs.api !== undefined && ours.api !== theirs.api) {
    throw conflictError(file, firstLine, `one side records endpoints of ${ours.api}, the other of ${theirs.api}`, true);
  }
  const merged: Lockfile = { lockfileVersion: ours.lockfileVersion, endpoints: {}, pending: [] };
  const api = ours.api ?? theirs.api;
  if (api !== undefined) merged.api = api;
  const ownerOfId = new Map<string, string>();
  for (const side of [ours, theirs]) {
    for (const [name, entry] of Object.entries(side.endpoints)) {
      const kept = Object.hasOwn(merged.endpoints, name) ? merged.endpoints[name] : undefined;
      if (kept && kept.id !== entry.id) {
        throw conflictError(
          file,
          lineNaming(conflict, name),
          `${JSON.stringify(name)} is endpoint ${kept.id} on one side and ${entry.id} on the other`,
          true,
        );
      }
      const owner = ownerOfId.get(entry.id);
      if (owner !== undefined && owner !== name) {
        throw conflictError(
          file,
          lineNaming(conflict, name),
          `endpoint ${entry.id} is recorded as ${JSON.stringify(owner)} on one side and ${JSON.stringify(name)} on the other`,
          true,
        );
      }
      ownerOfId.set(entry.id, name);
      if (!kept) setLockEntry(merged, name, entry);
    }
  }
  const pending = new Map<string, PendingCreate>();
  for (const intent of [...ours.pending, ...theirs.pending]) if (!pending.has(intent.name)) pending.set(intent.name, intent);
  merged.pending = [...pending.values()];
  return merged;
}

export function mergedNotice(file: string, conflict: ConflictedText, merged: Lockfile): string {
  const count = Object.keys(merged.endpoints).length;
  const lines = conflict.hunks.map((h) => h.line);
  return (
    `${file} held git merge-conflict markers (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}); both sides were merged ` +
    `(${count} endpoint${count === 1 ? '' : 's'}). The next apply writes the merged file: commit it.`
  );
}

/** The line of the first hunk that names `name` as a key, else the first hunk's. */
function lineNaming(conflict: ConflictedText, name: string): number {
  const key = `${JSON.stringify(name)}:`;
  const hunk = conflict.hunks.find((h) => h.ours.includes(key) || h.theirs.includes(key));
  return (hunk ?? conflict.hunks[0])?.line ?? 1;
}

export function conflictError(file: string, line: number, problem: string, bothParse = false): LockfileError {
  const how = bothParse
    ? `keep one side (\`git checkout --ours ${file}\` or \`--theirs\`), or edit the file so each name and each id appears once, ` +
      'then run `ppio-deploy plan`: an endpoint left out shows as not managed, and `ppio-deploy import NAME ID` records it again'
    : `edit ${file} so that it holds one side's text, or restore it with \`git checkout --ours ${file}\` (or \`--theirs\`), then run \`ppio-deploy plan\``;
  return new LockfileError(
    `${file}:${line}: a git merge conflict ppio-deploy cannot merge: ${problem}; the file was left unchanged. To resolve it, ${how}.`,
  );
}
