/** RFC 6901 JSON pointers: `/a/b~1c` ⇄ ['a', 'b/c']. */

export const escapePointerSegment = (segment: string): string =>
  segment.includes('~') || segment.includes('/') ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;

export const appendPointer = (pointer: string, segment: string | number): string =>
  `${pointer}/${typeof segment === 'number' ? segment : escapePointerSegment(segment)}`;

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
