import { describe, expect, it } from '@jest/globals';
import type { Spec } from '../../src/schema/definitions.js';
import { normalizeSpec } from '../../src/spec/index.js';

const base: Spec = {
  name: 'sdxl',
  workerConfig: { minNum: 0, maxNum: 2, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1, requestTimeout: 120 },
  ports: [{ port: 8080 }],
  policy: { type: 'queue', value: 30 },
  image: { image: 'ghcr.io/acme/sdxl:1' },
  products: [{ id: '1' }],
  rootfsSize: 100,
  volumeMounts: [],
  healthy: { path: '/health' },
};

describe('normalizeSpec', () => {
  type Case = [title: string, spec: Spec, check: (config: ReturnType<typeof normalizeSpec>) => void];
  const cases: Case[] = [
    ['a string port becomes a number', { ...base, ports: [{ port: '8080' }] }, (c) => expect(c.ports).toEqual([{ port: 8080 }])],
    ['an empty authId is dropped', { ...base, image: { image: 'x', authId: '' } }, (c) => expect(c.image).toEqual({ image: 'x' })],
    ['an empty command is dropped', { ...base, image: { image: 'x', command: '' } }, (c) => expect(c.image).toEqual({ image: 'x' })],
    ['an empty clusterID is dropped', { ...base, clusterID: '' }, (c) => expect(c).not.toHaveProperty('clusterID')],
    ['absent envs become []', base, (c) => expect(c.envs).toEqual([])],
    ['`$schema` is dropped', { ...base, $schema: '../schemas/endpoint.schema.json' }, (c) => expect(c).not.toHaveProperty('$schema')],
    [
      'workerConfig keys come out in a fixed order',
      { ...base, workerConfig: { requestTimeout: 120, gpuNum: 1, maxConcurrent: 1, freeTimeout: 300, maxNum: 2, minNum: 0 } },
      (c) => expect(Object.keys(c.workerConfig)).toEqual(['minNum', 'maxNum', 'freeTimeout', 'maxConcurrent', 'gpuNum', 'requestTimeout']),
    ],
    [
      'volume mounts keep only their own keys',
      {
        ...base,
        clusterID: 'c1',
        volumeMounts: [
          { type: 'network', id: 'v1', mountPath: '/data' },
          { type: 'local', size: 30, mountPath: '/w' },
        ],
      },
      (c) => {
        expect(c.volumeMounts).toEqual([
          { type: 'network', id: 'v1', mountPath: '/data' },
          { type: 'local', size: 30, mountPath: '/w' },
        ]);
        expect(c.clusterID).toBe('c1');
      },
    ],
  ];
  it.each(cases)('%s', (_title, spec, check) => check(normalizeSpec(spec)));

  it('orders keys the same way whatever order they were written in', () => {
    const shuffled = Object.fromEntries(Object.entries({ ...base, appName: 'sdxl', envs: [{ value: 'v', key: 'K' }] }).reverse()) as Spec;
    const config = normalizeSpec(shuffled);
    expect(Object.keys(config)).toEqual([
      'name',
      'appName',
      'workerConfig',
      'ports',
      'policy',
      'image',
      'products',
      'rootfsSize',
      'volumeMounts',
      'envs',
      'healthy',
    ]);
    expect(JSON.stringify(config.envs)).toBe('[{"key":"K","value":"v"}]');
    expect(JSON.stringify(normalizeSpec({ ...base, appName: 'sdxl', envs: [{ key: 'K', value: 'v' }] }))).toBe(JSON.stringify(config));
  });

  it('does not share objects with the spec', () => {
    const spec: Spec = { ...base, envs: [{ key: 'K', value: 'v' }] };
    const config = normalizeSpec(spec);
    config.envs[0]!.value = 'changed';
    config.workerConfig.maxNum = 99;
    expect(spec.envs?.[0]?.value).toBe('v');
    expect(spec.workerConfig.maxNum).toBe(2);
  });
});
