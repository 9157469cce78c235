/** RFC 6901 JSON pointers (`/a/b~1c` ⇄ ['a', 'b/c']): the `path` of every diagnostic and field diff. */

const escapePointerSegment = (segment: string): string =>
  segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;

export const appendPointer = (pointer: string, segment: string | number): string =>
  `${pointer}/${typeof segment === 'number' ? segment : escapePointerSegment(segment)}`;

export const joinPointer = (base: string, ...segments: (string | number)[]): string => segments.reduce<string>(appendPointer, base);

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The value at `pointer` (own properties only), or undefined when the path does not exist. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of splitPointer(pointer)) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

export const parentPointer = (pointer: string): string => pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
