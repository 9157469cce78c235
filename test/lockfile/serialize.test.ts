import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LockfileError } from '../../src/common/errors.js';
import { emptyLockfile, parseLockfile, parseLockfileText, serializeLockfile, type Lockfile } from '../../src/lockfile/index.js';
import { sampleEntry } from '../helpers/sample-config.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** The same value with every object's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, item]) => [key, reverseKeys(item)]),
    );
  }
  return value;
}

function sampleLockfile(): Lockfile {
  return {
    lockfileVersion: 2,
    api: 'https://api.ppio.com',
    endpoints: { 'sdxl-turbo': sampleEntry('sdxl-turbo'), 'llama-70b': sampleEntry('llama-70b', 'a1b2c3d4e5f60718') },
    pending: [
      { name: 'whisper', appName: 'whisper', source: 'endpoints/whisper.yaml' },
      { name: 'bark', source: 'endpoints/bark.yaml' },
    ],
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

  it('sorts integer-like keys inside a config as strings too, at any depth', () => {
    const entry = sampleEntry('a');
    const applied = { ...entry.applied, extra: { b: 1, '10': { z: [1, { '2': true, a: null }], y: 'x' }, '9': [] } };
    const text = serializeLockfile({ ...emptyLockfile(), endpoints: { a: { ...entry, applied } as typeof entry } });
    const extra = text.slice(text.indexOf('"extra"'));
    expect(extra.indexOf('"10"')).toBeLessThan(extra.indexOf('"9"'));
    expect(extra.indexOf('"9"')).toBeLessThan(extra.indexOf('"b"'));
    expect(extra.indexOf('"2"')).toBeLessThan(extra.indexOf('"a"'));
    expect(JSON.parse(text).endpoints.a.applied.extra).toEqual(applied.extra);
  });

  it('writes the empty lockfile as the design shows it', () => {
    expect(serializeLockfile(emptyLockfile())).toBe('{\n  "endpoints": {},\n  "lockfileVersion": 2,\n  "pending": []\n}\n');
  });

  it('round-trips through parseLockfile', () => {
    const text = serializeLockfile(sampleLockfile());
    expect(serializeLockfile(parseLockfile(text, 'ppio.lock.json'))).toBe(text);
  });
});

describe('parseLockfile', () => {
  const bad: [string, string, RegExp][] = [
    ['invalid JSON', '{"lockfileVersion": 1,', /ppio\.lock\.json is not valid JSON/],
    ['an unknown version', '{"lockfileVersion": 3, "endpoints": {}, "pending": []}', /lockfileVersion 3.*reads versions 1 and 2.*newer ppio-deploy/],
    ['a version that is not a number', '{"lockfileVersion": "1", "endpoints": {}, "pending": []}', /"lockfileVersion" must be the number 2/],
    ['api in a version 1 file', '{"lockfileVersion": 1, "api": "https://api.ppio.com", "endpoints": {}, "pending": []}', /unknown key "api"/],
    [
      'an api that is not an origin',
      '{"lockfileVersion": 2, "api": "https://api.ppio.com/v1", "endpoints": {}, "pending": []}',
      /"api" must be an API origin/,
    ],
    ['an array at the top', '[]', /top level must be an object/],
    ['endpoints as an array', '{"lockfileVersion": 1, "endpoints": [], "pending": []}', /"endpoints" must be an object/],
    [
      'an entry without an id',
      '{"lockfileVersion": 1, "endpoints": {"a": {"url": "u", "source": "s", "applied": {}}}, "pending": []}',
      /\/endpoints\/a\/id must be a string/,
    ],
    [
      'an entry without applied',
      '{"lockfileVersion": 1, "endpoints": {"a": {"id": "x", "url": "u", "source": "s"}}, "pending": []}',
      /\/endpoints\/a\/applied must be an object/,
    ],
    ['an unknown top-level key', '{"lockfileVersion": 1, "endpoints": {}, "pending": [], "extra": 1}', /unknown key "extra"/],
    [
      'a pending entry without a name',
      '{"lockfileVersion": 1, "endpoints": {}, "pending": [{"source": "s"}]}',
      /\/pending\/0\/name must be a string/,
    ],
  ];
  it.each(bad)('rejects %s with a LockfileError naming the file', (_case, text, message) => {
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(LockfileError);
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(message);
  });

  /** A lockfile whose one entry `sdxl` has `applied` changed by `edit`. */
  const withApplied = (edit: (applied: Record<string, unknown>) => unknown): string => {
    const entry = sampleEntry('sdxl');
    const applied = edit(structuredClone(entry.applied) as unknown as Record<string, unknown>);
    return JSON.stringify({ lockfileVersion: 1, endpoints: { sdxl: { ...entry, applied } }, pending: [] });
  };
  const badApplied: [string, (applied: Record<string, unknown>) => unknown, string][] = [
    ['an empty object', () => ({}), 'missing name'],
    ['no workerConfig', ({ workerConfig: _, ...rest }) => rest, 'missing workerConfig'],
    ['a port as a string', (a) => ({ ...a, ports: [{ port: '8080' }] }), 'ports[0].port must be an integer'],
    ['an unknown policy type', (a) => ({ ...a, policy: { type: 'fast', value: 1 } }), 'policy.type must be "queue" or "concurrency"'],
    ['a network mount without an id', (a) => ({ ...a, volumeMounts: [{ type: 'network', mountPath: '/data' }] }), 'missing volumeMounts[0].id'],
    ['envs as an object', (a) => ({ ...a, envs: { HF_TOKEN: 'x' } }), 'envs must be an array'],
    ['an unknown key', (a) => ({ ...a, image: { image: 'x', tag: '1' } }), 'unknown key image.tag'],
  ];
  it.each(badApplied)('rejects an applied config with %s, naming the file, the entry and the problem', (_case, edit, problem) => {
    const text = withApplied(edit);
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(LockfileError);
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(
      `ppio.lock.json is not a valid ppio-deploy lockfile: /endpoints/sdxl/applied is not a valid endpoint config: ${problem};`,
    );
  });

  it('accepts what import records from a live endpoint: no appName, an empty name, an unrecorded env value', () => {
    const text = withApplied(({ appName: _, ...a }) => ({ ...a, name: '', envs: [{ key: 'SET_BY_HAND', value: '(not recorded)' }] }));
    expect(parseLockfile(text, 'ppio.lock.json').endpoints['sdxl']?.applied.name).toBe('');
  });

  it('keeps entries named like Object.prototype members as ordinary entries', () => {
    const text = serializeLockfile({ ...emptyLockfile(), endpoints: JSON.parse(`{"__proto__": ${JSON.stringify(sampleEntry('a'))}}`) });
    const lockfile = parseLockfile(text, 'ppio.lock.json');
    expect(Object.keys(lockfile.endpoints)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(lockfile.endpoints)).toBe(Object.prototype);
    expect(serializeLockfile(lockfile)).toBe(text);
  });

  it('rejects one endpoint id recorded under two names, naming both', () => {
    const text = serializeLockfile({ ...emptyLockfile(), endpoints: { web: sampleEntry('web', 'aaaa'), api: sampleEntry('api', 'aaaa') } });
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow(LockfileError);
    expect(() => parseLockfile(text, 'ppio.lock.json')).toThrow('ppio.lock.json records endpoint aaaa under two names, "api" and "web"');
  });

  it('reads version 1 as version 2 without an api, and says the file is outdated', () => {
    const v1 = JSON.stringify({ lockfileVersion: 1, endpoints: { sdxl: sampleEntry('sdxl') }, pending: [] });
    const parsed = parseLockfileText(v1, 'ppio.lock.json');
    expect(parsed.outdated).toBe(true);
    expect(parsed.lockfile).toEqual({ lockfileVersion: 2, endpoints: { sdxl: sampleEntry('sdxl') }, pending: [] });
    expect(parseLockfileText(serializeLockfile(sampleLockfile()), 'ppio.lock.json').outdated).toBe(false);
  });

  it('accepts a lockfile without pending (older writers) as an empty list', () => {
    expect(parseLockfile('{"lockfileVersion": 1, "endpoints": {}}', 'f').pending).toEqual([]);
  });
});
