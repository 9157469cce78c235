import { appendPointer } from '../common/json-pointer.js';

/** A copy of `value` with every string replaced by `map(text, pointer)`. */
export function mapStrings(value: unknown, pointer: string, map: (text: string, pointer: string) => unknown): unknown {
  if (typeof value === 'string') return map(value, pointer);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, appendPointer(pointer, i), map));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) result[key] = mapStrings(child, appendPointer(pointer, key), map);
    return result;
  }
  return value;
}
