import { describe, expect, it } from '@jest/globals';
import { diffValues } from '../../src/plan/diff.js';

describe('diffValues', () => {
  it.each([
    ['equal values', { a: 1, b: [1, { c: 2 }] }, { a: 1, b: [1, { c: 2 }] }, []],
    ['a changed leaf', { a: { b: 1 } }, { a: { b: 2 } }, [{ path: '/a/b', before: 1, after: 2 }]],
    ['an added leaf inside an added object', {}, { a: { b: 1 } }, [{ path: '/a/b', before: undefined, after: 1 }]],
    ['a removed key', { a: 1, b: 2 }, { a: 1 }, [{ path: '/b', before: 2, after: undefined }]],
    ['an added array element', { l: [1] }, { l: [1, { x: 1 }] }, [{ path: '/l/1', before: undefined, after: { x: 1 } }]],
    ['a removed array element', { l: [1, 2] }, { l: [1] }, [{ path: '/l/1', before: 2, after: undefined }]],
    ['a changed type', { a: [1] }, { a: 'x' }, [{ path: '/a', before: [1], after: 'x' }]],
    [
      'keys needing pointer escapes',
      { 'a/b': 1, 'c~d': 1 },
      { 'a/b': 2, 'c~d': 2 },
      [
        { path: '/a~1b', before: 1, after: 2 },
        { path: '/c~0d', before: 1, after: 2 },
      ],
    ],
    ['a key Object.prototype also has', {}, { constructor: 1 }, [{ path: '/constructor', before: undefined, after: 1 }]],
    [
      'keys in the desired order, then removed ones',
      { z: 1, y: 1 },
      { b: 1, a: 1 },
      [
        { path: '/b', before: undefined, after: 1 },
        { path: '/a', before: undefined, after: 1 },
        { path: '/z', before: 1, after: undefined },
        { path: '/y', before: 1, after: undefined },
      ],
    ],
  ])('reports %s', (_case, before, after, expected) => {
    expect(diffValues(before, after)).toEqual(expected);
  });
});
