import { RefusedError } from '../../src/common/errors.js';
import { describe, expect, it } from '@jest/globals';
import type { LiveEndpoint } from '../../src/api/types.js';
import { checkImport, importedEntry } from '../../src/apply/index.js';
import { UNRECORDED_VALUE } from '../../src/lockfile/types.js';
import type { Spec } from '../../src/schema/definitions.js';
import type { ValidSpec } from '../../src/spec/types.js';
import { sampleConfig } from '../helpers/sample-config.js';

function validSpec(spec: Spec): ValidSpec {
  return {
    spec,
    document: {
      file: 'endpoints/web.yaml',
      absolutePath: '/project/endpoints/web.yaml',
      index: 0,
      value: spec,
      locate: () => ({ line: 1, column: 1 }),
    },
  };
}

function liveEndpoint(overrides: Partial<LiveEndpoint['config']>): LiveEndpoint {
  return {
    id: '2f9fb35f70c5b595',
    url: 'https://2f9fb35f70c5b595-web.runsync.serverless.ppinfra.com',
    state: { state: 'serving', error: '', message: '' },
    config: sampleConfig('web', overrides),
    workers: [],
  };
}

describe('importedEntry', () => {
  it('records the live config, keeping templates for interpolated values and masking env values the spec does not hold', () => {
    const spec = {
      ...sampleConfig('web'),
      image: { image: 'ghcr.io/acme/web:${env:TAG}', command: 'serve' },
      envs: [
        { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
        { key: 'MODE', value: 'fast' },
        { key: 'LEVEL', value: 'info' },
      ],
    } as unknown as Spec;
    const live = liveEndpoint({
      image: { image: 'ghcr.io/acme/web:v9-resolved', command: 'serve' },
      envs: [
        { key: 'HF_TOKEN', value: 'hf_live_secret' },
        { key: 'MODE', value: 'fast' },
        { key: 'LEVEL', value: 'debug' },
        { key: 'HAND_SET', value: 'another-secret' },
      ],
    });

    const entry = importedEntry(validSpec(spec), live, 'endpoints/web.yaml');

    expect(entry.id).toBe(live.id);
    expect(entry.url).toBe(live.url);
    expect(entry.source).toBe('endpoints/web.yaml');
    expect(entry.applied.image).toEqual({ image: 'ghcr.io/acme/web:${env:TAG}', command: 'serve' });
    expect(entry.applied.envs).toEqual([
      { key: 'HF_TOKEN', value: '${env:HF_TOKEN}' },
      { key: 'MODE', value: 'fast' },
      { key: 'LEVEL', value: UNRECORDED_VALUE },
      { key: 'HAND_SET', value: UNRECORDED_VALUE },
    ]);
    expect(JSON.stringify(entry)).not.toMatch(/secret|v9-resolved/);
    expect(entry.applied.workerConfig).toEqual(live.config.workerConfig);
  });

  describe('checkImport', () => {
    const entry = (id: string) => ({ id, url: `https://${id}.example`, source: 'endpoints/a.yaml', applied: {} as never });
    const lockfile = { lockfileVersion: 2 as const, endpoints: { web: entry('aaaa'), api: entry('bbbb') }, pending: [] };

    it('is a no-op for what is already recorded, and new otherwise', () => {
      expect(checkImport(lockfile, 'web', 'aaaa')).toBe('already-recorded');
      expect(checkImport(lockfile, 'worker', 'cccc')).toBe('new');
    });

    it('refuses a name recorded with another id, and an id recorded under another name', () => {
      expect(() => checkImport(lockfile, 'web', 'cccc')).toThrow(
        new RefusedError('web is already recorded as aaaa; remove that entry (or delete the endpoint) before importing cccc'),
      );
      expect(() => checkImport(lockfile, 'worker', 'bbbb')).toThrow(new RefusedError('endpoint bbbb is already recorded under "api"'));
    });

    it('does not take a name like constructor for a recorded entry', () => {
      expect(checkImport(lockfile, 'constructor', 'cccc')).toBe('new');
    });
  });
});
