import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockfileError } from '../../src/common/errors.js';
import { emptyLockfile, parseLockfile, serializeLockfile, type Lockfile } from '../../src/lockfile/index.js';
import { sampleEntry } from './fixtures/sample-config.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reverseKeys(item)]));
  }
  return value;
}

function sampleLockfile(): Lockfile {
  return {
    lockfileVersion: 1,
    endpoints: { 'sdxl-turbo': sampleEntry('sdxl-turbo'), 'llama-70b': sampleEntry('llama-70b', 'a1b2c3d4e5f60718') },
    pending: [{ name: 'whisper', appName: 'whisper', source: 'endpoints/whisper.yaml' }, { name: 'bark', source: 'endpoints/bark.yaml' }],
  };
}

describe('serializeLockfile', () => {
  it('matches the golden file byte for byte', () => {
    expect(serializeLockfile(sampleLockfile())).toBe(readFileSync(path.join(fixtures, 'golden.lock.json'), 'utf8'));
  });

  it('gives identical bytes whatever the key insertion order', () => {
    const reordered = reverseKeys(sampleLockfile()) as Lockfile;
    reordered.pending.reverse();
    expect(serializeLockfile(reordered)).toBe(serializeLockfile(sampleLockfile()));
  });

  it('sorts integer-like keys as strings too, and ends with a newline', () => {
    const lockfile: Lockfile = { ...emptyLockfile(), endpoints: { b: sampleEntry('b'), '10': sampleEntry('10'), '9': sampleEntry('9') } };
    const text = serializeLockfile(lockfile);
    expect(text.indexOf('"10"')).toBeLessThan(text.indexOf('"9"'));
    expect(text.indexOf('"9"')).toBeLessThan(text.indexOf('"b"'));
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('writes the empty lockfile as the design shows it', () => {
    expect(serializeLockfile(emptyLockfile())).toBe('{\n  "endpoints": {},\n  "lockfileVersion": 1,\n  "pending": []\n}\n');
  });

  it('round-trips through parseLockfile', () => {
    const text = serializeLockfile(sampleLockfile());
    expect(serializeLockfile(parseLockfile(text, 'ppio.lock.json'))).toBe(text);
  });
});

describe('parseLockfile', () => {
  const bad: [string, string, RegExp][] = [
    ['invalid JSON', '{"lockfileVersion": 1,', /ppio\.lock\.json is not valid JSON/],
    ['an unknown version', '{"lockfileVersion": 2, "endpoints": {}, "pending": []}', /lockfileVersion 2.*newer ppio-deploy/],
    ['a version that is not a number', '{"lockfileVersion": "1", "endpoints": {}, "pending": []}', /"lockfileVersion" must be the number 1/],
    ['an array at the top', '[]', /top level must be an object/],
    ['endpoints as an array', '{"lockfileVersion": 1, "endpoints": [], "pending": []}', /"endpoints" must be an object/],
    ['an entry without an id', '{"lockfileVersion": 1, "endpoints": {"a": {"url": "u", "source": "s", "applied": {}}}, "pending": []}', /\/endpoints\/a\/id must be a string/],
    ['an entry without applied', '{"lockfileVersion": 1, "endpoints": {"a": {"id": "x", "url": "u", "source": "s"}}, "pending": []}', /\/endpoints\/a\/applied must be an object/],
    ['an unknown top-level key', '{"lockfileVersion": 1, "endpoints": {}, "pending": [], "extra": 1}', /unknown key "extra"/],
    ['a pending entry without a name', '{"lockfileVersion": 1, "endpoints": {}, "pending": [{"source": "s"}]}', /\/pending\/0\/name must be a string/],
  ];
  it.each(bad)('rejects %s with a LockfileError naming the file', (_case, text, message) => {
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(LockfileError);
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(message);
  });

  it('accepts a lockfile without pending (older writers) as an empty list', () => {
    expect(parseLockfile('{"lockfileVersion": 1, "endpoints": {}}', 'f').pending).toEqual([]);
  });
});
