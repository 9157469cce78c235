import { describe, expect, it } from '@jest/globals';
import { isInside, relativeBelow } from '../../src/common/files.js';

describe('relativeBelow / isInside: lexical containment of absolute paths', () => {
  it.each([
    ['/p', '/p/endpoints/a.yaml', 'endpoints/a.yaml'],
    ['/p/', '/p/a.yaml', 'a.yaml'],
    ['/p', '/p', ''],
    ['/', '/etc/passwd', 'etc/passwd'],
    ['/p', '/p/endpoints/../a.yaml', 'a.yaml'],
    ['/p', '/p/./a.yaml', 'a.yaml'],
    ['/p', '/p/..a.yaml', '..a.yaml'],
  ])('%s holds %s as %s', (folder, target, relative) => {
    expect(relativeBelow(folder, target)).toBe(relative);
    expect(isInside(folder, target)).toBe(true);
  });

  it.each([
    ['/p', '/pq/a.yaml'],
    ['/p', '/p/../etc/passwd'],
    ['/p', '/p/a/../../etc'],
    ['/p/endpoints', '/p'],
    ['/p', '/'],
  ])('%s does not hold %s', (folder, target) => {
    expect(relativeBelow(folder, target)).toBeUndefined();
    expect(isInside(folder, target)).toBe(false);
  });
});
