import { LockfileError } from '../common/errors.js';
import { isRecord } from '../common/record.js';
import { findAppliedProblem } from './check-applied.js';
import { LOCKFILE_VERSION, type LockEntry, type Lockfile, type PendingCreate } from './types.js';

/**
 * The lockfile's bytes: keys sorted at every level (by code unit, integer-like keys
 * included), two-space indent, trailing newline, pending creates ordered by name. Equal
 * data always gives equal bytes, so the file changes only when an endpoint does.
 */
export function serializeLockfile(lockfile: Lockfile): string {
  const pending = [...lockfile.pending].sort((a, b) => compareCodeUnits(a.name, b.name));
  return `${renderSorted({ ...lockfile, pending }, '')}\n`;
}

function renderSorted(value: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => `${inner}${renderSorted(item ?? null, inner)}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort(compareCodeUnits);
    if (keys.length === 0) return '{}';
    const members = keys.map((key) => `${inner}${JSON.stringify(key)}: ${renderSorted(record[key], inner)}`);
    return `{\n${members.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Parses and checks a lockfile's text. `file` names it in every error. */
export function parseLockfile(text: string, file: string): Lockfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LockfileError(`${file} is not valid JSON (${(error as Error).message}); it was left unchanged. Restore it from version control.`);
  }
  return checkLockfileShape(value, file);
}

function checkLockfileShape(value: unknown, file: string): Lockfile {
  const fail = (problem: string): never => {
    throw new LockfileError(`${file} is not a valid ppio-deploy lockfile: ${problem}; it was left unchanged. Restore it from version control.`);
  };
  if (!isRecord(value)) return fail('the top level must be an object');
  const version = value['lockfileVersion'];
  if (typeof version === 'number' && version !== LOCKFILE_VERSION) {
    throw new LockfileError(
      `${file} has lockfileVersion ${version}, which this ppio-deploy does not know (it reads version ${LOCKFILE_VERSION}). Was it written by a newer ppio-deploy? Upgrade ppio-deploy; the file was left unchanged.`,
    );
  }
  if (version !== LOCKFILE_VERSION) return fail('"lockfileVersion" must be the number 1');
  rejectUnknownKeys(value, ['lockfileVersion', 'endpoints', 'pending'], '', fail);
  const endpoints = value['endpoints'] ?? {};
  if (!isRecord(endpoints)) return fail('"endpoints" must be an object');
  for (const [name, entry] of Object.entries(endpoints)) checkLockEntry(entry, `/endpoints/${name}`, fail);
  const pending = value['pending'] ?? [];
  if (!Array.isArray(pending)) return fail('"pending" must be an array');
  pending.forEach((item, index) => checkPendingCreate(item, `/pending/${index}`, fail));
  return { lockfileVersion: LOCKFILE_VERSION, endpoints: endpoints as Record<string, LockEntry>, pending: pending as PendingCreate[] };
}

type Fail = (problem: string) => never;

function checkLockEntry(entry: unknown, at: string, fail: Fail): void {
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

function checkPendingCreate(item: unknown, at: string, fail: Fail): void {
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
