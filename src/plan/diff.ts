/**
 * Field-level differences between two configurations, as JSON pointers. Objects are
 * compared key by key, arrays element by element by index (or, for the arrays named in
 * `keyedArrays`, by an identifying property); an element only one side has is reported whole. Values here are raw: masking secrets is a separate step (mask.ts).
 */
import { appendPointer } from '../common/json-pointer.js';
import { isRecord } from '../common/record.js';

/** One difference; `before`/`after` are undefined when the field is added/removed. */
export interface RawDiff {
  path: string;
  before: unknown;
  after: unknown;
}
type JsonObject = Record<string, unknown>;

const ownValue = (object: JsonObject, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => isDeepEqual(a[key], ownValue(b, key)));
  }
  return false;
}

/** Differences from `before` to `after`, in the order of `after`'s keys, then removed keys. */
export function diffValues(before: unknown, after: unknown, path = '', keyedArrays: ReadonlyMap<string, string> = new Map()): RawDiff[] {
  const diffs: RawDiff[] = [];
  new DiffWalk(keyedArrays, diffs).collect(path, before, after);
  return diffs;
}

class DiffWalk {
  constructor(
    /** Array pointer → the property that identifies an element, e.g. `/envs` → `key`. */
    private readonly keyedArrays: ReadonlyMap<string, string>,
    private readonly out: RawDiff[],
  ) {}

  collect(path: string, before: unknown, after: unknown): void {
    const key = this.keyedArrays.get(path);
    if (key !== undefined && Array.isArray(before) && Array.isArray(after)) this.collectKeyed(path, key, before, after);
    else collectDiffs(path, before, after, this.out, (p, b, a) => this.collect(p, b, a));
  }

  /** Elements matched by `key`: changed and added ones at their `after` index, removed ones at their `before` index. */
  private collectKeyed(path: string, key: string, before: unknown[], after: unknown[]): void {
    const keyOf = (element: unknown): unknown => (isRecord(element) ? element[key] : undefined);
    const unmatched = new Set(before.keys());
    after.forEach((element, i) => {
      const id = keyOf(element);
      const match = id === undefined ? undefined : [...unmatched].find((j) => isDeepEqual(keyOf(before[j]), id));
      if (match === undefined) {
        this.out.push({ path: appendPointer(path, i), before: undefined, after: element });
        return;
      }
      unmatched.delete(match);
      this.collect(appendPointer(path, i), before[match], element);
    });
    for (const j of unmatched) this.out.push({ path: appendPointer(path, j), before: before[j], after: undefined });
  }
}

type Recurse = (path: string, before: unknown, after: unknown) => void;

function collectDiffs(path: string, before: unknown, after: unknown, out: RawDiff[], recurse: Recurse): void {
  if (before === undefined && after === undefined) return;
  // A missing object is walked like an empty one, so an added `image.authId` or a whole
  // created endpoint shows leaf by leaf; a missing array likewise lists its elements.
  if ((isRecord(before) || before === undefined) && (isRecord(after) || after === undefined)) {
    collectObjectDiffs(path, before ?? {}, after ?? {}, recurse);
  } else if ((Array.isArray(before) || before === undefined) && (Array.isArray(after) || after === undefined)) {
    collectArrayDiffs(path, before ?? [], after ?? [], out, recurse);
  } else if (!isDeepEqual(before, after)) {
    out.push({ path, before, after });
  }
}

function collectObjectDiffs(path: string, before: JsonObject, after: JsonObject, recurse: Recurse): void {
  const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !Object.hasOwn(after, key))];
  for (const key of keys) recurse(appendPointer(path, key), ownValue(before, key), ownValue(after, key));
}

function collectArrayDiffs(path: string, before: unknown[], after: unknown[], out: RawDiff[], recurse: Recurse): void {
  const shared = Math.min(before.length, after.length);
  for (let i = 0; i < shared; i++) recurse(appendPointer(path, i), before[i], after[i]);
  for (let i = shared; i < after.length; i++) out.push({ path: appendPointer(path, i), before: undefined, after: after[i] });
  for (let i = shared; i < before.length; i++) out.push({ path: appendPointer(path, i), before: before[i], after: undefined });
}
