/** Lockfiles holding git conflict markers, written as git writes them (merge and diff3 styles). */
import { describe, expect, it } from '@jest/globals';
import { LockfileError } from '../../src/common/errors.js';
import { emptyLockfile, parseLockfileText, serializeLockfile, type Lockfile } from '../../src/lockfile/index.js';
import { sampleEntry } from '../helpers/sample-config.js';

const base: Lockfile = { ...emptyLockfile(), api: 'https://api.ppio.com', endpoints: { a: sampleEntry('a', 'aaaa') } };

/** Conflict text made the way git makes it: common lines outside, differing lines inside markers. */
function conflicted(ours: Lockfile, theirs: Lockfile, diff3 = false): string {
  const left = serializeLockfile(ours).split('\n');
  const right = serializeLockfile(theirs).split('\n');
  let start = 0;
  while (left[start] === right[start]) start += 1;
  let end = 0;
  while (left[left.length - 1 - end] === right[right.length - 1 - end]) end += 1;
  return [
    ...left.slice(0, start),
    '<<<<<<< HEAD',
    ...left.slice(start, left.length - end),
    ...(diff3 ? ['||||||| base', '    "x": 1'] : []),
    '=======',
    ...right.slice(start, right.length - end),
    '>>>>>>> feature',
    ...left.slice(left.length - end),
  ].join('\n');
}

describe('a lockfile with git conflict markers', () => {
  it.each([false, true])('is the union of both sides when each adds an endpoint (diff3 %s), with a notice', (diff3) => {
    const ours = { ...base, endpoints: { ...base.endpoints, b: sampleEntry('b', 'bbbb') } };
    const theirs = { ...base, endpoints: { ...base.endpoints, c: sampleEntry('c', 'cccc') }, pending: [{ name: 'd', source: 'endpoints/d.yaml' }] };
    const text = conflicted(ours, theirs, diff3);
    expect(text).toContain('<<<<<<< HEAD');

    const parsed = parseLockfileText(text, 'ppio.lock.json');
    expect(Object.keys(parsed.lockfile.endpoints).sort()).toEqual(['a', 'b', 'c']);
    expect(parsed.lockfile.pending).toEqual([{ name: 'd', source: 'endpoints/d.yaml' }]);
    expect(parsed.lockfile.api).toBe('https://api.ppio.com');
    expect(parsed.outdated).toBe(true);
    expect(parsed.notice).toMatch(
      /^ppio\.lock\.json held git merge-conflict markers \(lines? [\d, ]+\); both sides were merged \(3 endpoints\)\. The next apply writes the merged file: commit it\.$/,
    );
  });

  it('refuses, at the conflict line, a name recorded with two ids', () => {
    const ours = { ...base, endpoints: { ...base.endpoints, b: sampleEntry('b', 'bbbb') } };
    const theirs = { ...base, endpoints: { ...base.endpoints, b: sampleEntry('b', 'b222') } };
    const text = conflicted(ours, theirs);
    const line = text.split('\n').indexOf('<<<<<<< HEAD') + 1;
    expect(() => parseLockfileText(text, 'ppio.lock.json')).toThrow(LockfileError);
    expect(() => parseLockfileText(text, 'ppio.lock.json')).toThrow(
      `ppio.lock.json:${line}: a git merge conflict ppio-deploy cannot merge: "b" is endpoint bbbb on one side and b222 on the other; the file was left unchanged. To resolve it, keep one side (\`git checkout --ours ppio.lock.json\``,
    );
  });

  it('refuses one id recorded under two names across the sides', () => {
    const ours = { ...base, endpoints: { ...base.endpoints, b: sampleEntry('b', 'bbbb') } };
    const theirs = { ...base, endpoints: { ...base.endpoints, renamed: sampleEntry('renamed', 'bbbb') } };
    expect(() => parseLockfileText(conflicted(ours, theirs), 'ppio.lock.json')).toThrow(
      /endpoint bbbb is recorded as "b" on one side and "renamed" on the other/,
    );
  });

  it('refuses sides bound to two API origins', () => {
    const theirs = { ...base, api: 'http://127.0.0.1:8787', endpoints: { ...base.endpoints, c: sampleEntry('c', 'cccc') } };
    expect(() => parseLockfileText(conflicted(base, theirs), 'ppio.lock.json')).toThrow(
      /one side records endpoints of https:\/\/api\.ppio\.com, the other of http:\/\/127\.0\.0\.1:8787/,
    );
  });

  it('refuses a side that does not parse, at the conflict line, saying how to resolve it', () => {
    const text = ['{', '<<<<<<< HEAD', '  "endpoints": {},', '=======', '  "endpoints": {', '>>>>>>> feature', '  "lockfileVersion": 2', '}'].join(
      '\n',
    );
    expect(() => parseLockfileText(text, 'ppio.lock.json')).toThrow(
      /^ppio\.lock\.json:2: a git merge conflict ppio-deploy cannot merge: the merged branch's side is not valid JSON .*edit ppio\.lock\.json so that it holds one side's text/,
    );
  });

  it('refuses markers git would not write', () => {
    expect(() => parseLockfileText('{\n<<<<<<< HEAD\n}\n', 'ppio.lock.json')).toThrow(/ppio\.lock\.json:2: .*never ends/);
    expect(() => parseLockfileText('<<<<<<< HEAD\n=======\n=======\n>>>>>>> x\n', 'ppio.lock.json')).toThrow(
      /ppio\.lock\.json:3: .*"=======" marker where git would not write one/,
    );
  });
});
