import { LockfileError } from '../common/errors.js';
import { isRecord } from '../common/record.js';
import { findAppliedProblem } from './check-applied.js';
import { conflictError, mergedNotice, splitConflict, unionOfSides, type ConflictedText } from './merge-conflict.js';
import { LOCKFILE_VERSION, type LockEntry, type Lockfile, type PendingCreate } from './types.js';

/**
 * The lockfile's bytes: keys sorted at every level (by code unit, integer-like keys
 * included), two-space indent, trailing newline, pending creates ordered by name. Equal
 * data always gives equal bytes, so the file changes only when an endpoint does.
 *
 * `rendered` keeps each entry's text by entry object, and each `applied` config's text by
 * config object, for a caller that rewrites the same lockfile several times (an apply's
 * compactions) and never changes an entry or a config in place: an entry whose URL was filled
 * in is a new object holding the same config.
 */
export function serializeLockfile(lockfile: Lockfile, rendered?: RenderedEntries): string {
  const pending = [...lockfile.pending].sort((a, b) => compareCodeUnits(a.name, b.name));
  const cached = (value: object, indent: string, render: (value: unknown, indent: string) => string): string => {
    const known = rendered?.get(value);
    if (known !== undefined) return known;
    const text = render(value, indent);
    rendered?.set(value, text);
    return text;
  };
  const renderEntry = (entry: LockEntry, indent: string): string =>
    cached(entry, indent, () =>
      renderMembers(entry as unknown as Record<string, unknown>, indent, (value, inner) =>
        value === entry.applied ? cached(entry.applied, inner, renderSorted) : renderSorted(value, inner),
      ),
    );
  const top = { ...lockfile, pending } as Record<string, unknown>;
  const text = renderMembers(top, '', (value, indent) =>
    value === lockfile.endpoints
      ? renderMembers(lockfile.endpoints, indent, (entry, inner) => renderEntry(entry as LockEntry, inner))
      : renderSorted(value, indent),
  );
  return `${text}\n`;
}

/** Texts of entries and of their configs by object; valid only while they are replaced, never changed in place. */
export type RenderedEntries = WeakMap<object, string>;

function renderMembers(record: Record<string, unknown>, indent: string, renderValue: (value: unknown, indent: string) => string): string {
  const inner = `${indent}  `;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareCodeUnits);
  if (keys.length === 0) return '{}';
  const members = keys.map((key) => `${inner}${JSON.stringify(key)}: ${renderValue(record[key], inner)}`);
  return `{\n${members.join(',\n')}\n${indent}}`;
}

function renderSorted(value: unknown, indent: string): string {
  const sorted = sortedCopy(value);
  if (sorted !== NOT_SORTABLE) {
    // V8's JSON.stringify writes the same text several times faster than the walk below.
    const text = JSON.stringify(sorted, null, 2) ?? 'null';
    return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => `${inner}${renderSorted(item ?? null, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') return renderMembers(value as Record<string, unknown>, indent, renderSorted);
  return JSON.stringify(value) ?? 'null';
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const NOT_SORTABLE = Symbol('not sortable');
/** A key V8 enumerates first, in numeric order, whatever the order it was added in. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * The value with every object's keys added in code-unit order (undefined members left out,
 * undefined items as null), or NOT_SORTABLE when an object has an integer-like key, which no
 * insertion order can put in its sorted place.
 */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const copy = sortedCopy(item ?? null);
      if (copy === NOT_SORTABLE) return NOT_SORTABLE;
      items.push(copy);
    }
    return items;
  }
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareCodeUnits)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    if (ARRAY_INDEX.test(key) || key === '__proto__') return NOT_SORTABLE;
    const item = sortedCopy(member);
    if (item === NOT_SORTABLE) return NOT_SORTABLE;
    copy[key] = item;
  }
  return copy;
}

/** A lockfile's text, read and checked. */
export interface ParsedLockfile {
  lockfile: Lockfile;
  /**
   * The file is not what this version writes (version 1, or git merge-conflict markers that
   * were merged): the next apply rewrites it.
   */
  outdated: boolean;
  /** What the user should know about how the file was read (a merged conflict), if anything. */
  notice?: string;
}

/** Parses and checks a lockfile's text. `file` names it in every error. */
export function parseLockfile(text: string, file: string): Lockfile {
  return parseLockfileText(text, file).lockfile;
}

/** Like parseLockfile, and says whether the file needs rewriting; merges git conflict markers when it safely can. */
export function parseLockfileText(text: string, file: string): ParsedLockfile {
  const conflict = splitConflict(text, file);
  if (conflict) return mergeConflict(conflict, file);
  const { lockfile, version } = parseOneLockfile(text, file);
  return { lockfile, outdated: version !== LOCKFILE_VERSION };
}

/** One side's text (no conflict markers): the lockfile and the version it was written as. */
export function parseOneLockfile(text: string, file: string): { lockfile: Lockfile; version: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LockfileError(`${file} is not valid JSON (${(error as Error).message}); it was left unchanged. Restore it from version control.`);
  }
  return checkLockfileShape(value, file);
}

function mergeConflict(conflict: ConflictedText, file: string): ParsedLockfile {
  const parseSide = (text: string, side: 'ours' | 'theirs'): Lockfile => {
    try {
      return parseOneLockfile(text, `the ${side === 'ours' ? 'current' : 'merged'} branch's side`).lockfile;
    } catch (error) {
      throw conflictError(file, conflict.hunks[0]?.line ?? 1, (error as Error).message.replace(/; it was left unchanged\..*$/s, ''));
    }
  };
  const merged = unionOfSides(parseSide(conflict.ours, 'ours'), parseSide(conflict.theirs, 'theirs'), conflict, file);
  return { lockfile: merged, outdated: true, notice: mergedNotice(file, conflict, merged) };
}

/** Versions this ppio-deploy reads; 1 lacks `api`. */
const READABLE_VERSIONS = [1, LOCKFILE_VERSION];

function checkLockfileShape(value: unknown, file: string): { lockfile: Lockfile; version: number } {
  const fail = (problem: string): never => {
    throw new LockfileError(`${file} is not a valid ppio-deploy lockfile: ${problem}; it was left unchanged. Restore it from version control.`);
  };
  if (!isRecord(value)) return fail('the top level must be an object');
  const version = value['lockfileVersion'];
  if (typeof version === 'number' && !READABLE_VERSIONS.includes(version)) {
    throw new LockfileError(
      `${file} has lockfileVersion ${version}, which this ppio-deploy does not know (it reads versions ${READABLE_VERSIONS.join(' and ')}). Was it written by a newer ppio-deploy? Upgrade ppio-deploy; the file was left unchanged.`,
    );
  }
  if (typeof version !== 'number') return fail(`"lockfileVersion" must be the number ${LOCKFILE_VERSION}`);
  rejectUnknownKeys(
    value,
    version === 1 ? ['lockfileVersion', 'endpoints', 'pending'] : ['lockfileVersion', 'api', 'endpoints', 'pending'],
    '',
    fail,
  );
  const api = value['api'];
  if (api !== undefined && (typeof api !== 'string' || !isOrigin(api))) return fail('"api" must be an API origin such as "https://api.ppio.com"');
  const endpoints = value['endpoints'] ?? {};
  if (!isRecord(endpoints)) return fail('"endpoints" must be an object');
  for (const [name, entry] of Object.entries(endpoints)) checkLockEntry(entry, `/endpoints/${name}`, fail);
  rejectSharedIds(endpoints as Record<string, LockEntry>, file);
  const pending = value['pending'] ?? [];
  if (!Array.isArray(pending)) return fail('"pending" must be an array');
  pending.forEach((item, index) => {
    checkPendingCreate(item, `/pending/${index}`, fail);
  });
  const lockfile: Lockfile = {
    lockfileVersion: LOCKFILE_VERSION,
    endpoints: endpoints as Record<string, LockEntry>,
    pending: pending as PendingCreate[],
  };
  if (typeof api === 'string') lockfile.api = api;
  return { lockfile, version };
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/**
 * One endpoint recorded under two names (a hand edit, a bad merge) would let removing one
 * spec delete the endpoint the other spec still owns.
 */
function rejectSharedIds(endpoints: Record<string, LockEntry>, file: string): void {
  const nameOfId = new Map<string, string>();
  for (const [name, entry] of Object.entries(endpoints)) {
    const other = nameOfId.get(entry.id);
    if (other !== undefined) {
      throw new LockfileError(
        `${file} records endpoint ${entry.id} under two names, ${JSON.stringify(other)} and ${JSON.stringify(name)}; it was left unchanged. ` +
          'One endpoint belongs to one spec: remove the entry of the spec that does not own it (or restore the file from version control).',
      );
    }
    nameOfId.set(entry.id, name);
  }
}

export type Fail = (problem: string) => never;

export function checkLockEntry(entry: unknown, at: string, fail: Fail): void {
  if (!isRecord(entry)) fail(`${at} must be an object`);
  const record = entry as Record<string, unknown>;
  rejectUnknownKeys(record, ['id', 'url', 'source', 'applied'], at, fail);
  for (const key of ['id', 'url', 'source']) {
    if (typeof record[key] !== 'string') fail(`${at}/${key} must be a string`);
  }
  if (record['id'] === '') fail(`${at}/id must not be empty`);
  if (!isRecord(record['applied'])) fail(`${at}/applied must be an object`);
  const problem = findAppliedProblem(record['applied']);
  if (problem !== undefined) fail(`${at}/applied is not a valid endpoint config: ${problem}`);
}

export function checkPendingCreate(item: unknown, at: string, fail: Fail): void {
  if (!isRecord(item)) fail(`${at} must be an object`);
  const record = item as Record<string, unknown>;
  rejectUnknownKeys(record, ['name', 'appName', 'source'], at, fail);
  if (typeof record['name'] !== 'string') fail(`${at}/name must be a string`);
  if (typeof record['source'] !== 'string') fail(`${at}/source must be a string`);
  if (record['appName'] !== undefined && typeof record['appName'] !== 'string') fail(`${at}/appName must be a string`);
}

/** Unknown keys are refused: rewriting the file would silently drop them. */
function rejectUnknownKeys(record: Record<string, unknown>, known: string[], at: string, fail: Fail): void {
  const unknown = Object.keys(record).find((key) => !known.includes(key));
  if (unknown !== undefined) fail(`unknown key "${unknown}" at ${at || '/'}`);
}
