import { appendPointer } from '../common/json-pointer.js';
import { isRecord } from '../common/record.js';

export interface MergeResult {
  value: unknown;
  /** Pointers whose whole value the patch wrote (a scalar, a list, or a new mapping). */
  written: string[];
  /** Pointers of the keys the patch removed (`key: null`). */
  removed: string[];
}

/**
 * JSON Merge Patch (RFC 7386): mappings merge key by key, `null` removes a key, anything
 * else (scalars, lists) replaces. Neither input is modified.
 */
export function mergePatch(target: unknown, patch: unknown, pointer = ''): MergeResult {
  if (!isRecord(patch)) return { value: structuredClone(patch), written: [pointer], removed: [] };
  const written: string[] = isRecord(target) ? [] : [pointer];
  const removed: string[] = [];
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      if (Object.hasOwn(result, key)) removed.push(appendPointer(pointer, key));
      delete result[key];
      continue;
    }
    const merged = mergePatch(result[key], value, appendPointer(pointer, key));
    result[key] = merged.value;
    written.push(...merged.written);
    removed.push(...merged.removed);
  }
  return { value: result, written, removed };
}
