import { describe, expect, it } from '@jest/globals';
import { normalizeLiveEndpoint, toCreateBody, toUpdateBody } from '../../src/api/index.js';
import { fullConfig, minimalConfig } from './fixtures.js';

describe('toCreateBody', () => {
  it('wraps the config in `endpoint` with the port as a string and integers as numbers', () => {
    expect(toCreateBody(fullConfig())).toStrictEqual({
      endpoint: {
        name: 'sdxl-turbo',
        appName: 'sdxl-turbo',
        workerConfig: { minNum: 0, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
        ports: [{ port: '8080' }],
        policy: { type: 'queue', value: 30 },
        image: { image: 'ghcr.io/acme/sdxl:1.4.2', authId: 'auth-1f2e3d4c5b6a7980', command: 'python -m server --port 8080' },
        volumeMounts: [
          { type: 'local', size: 30, mountPath: '/workspace' },
          { type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models' },
        ],
        clusterID: 'cn-east-1',
        envs: [{ key: 'MODEL', value: 'sdxl' }],
        healthy: { path: '/health' },
        products: [{ id: '1' }],
        rootfsSize: 100,
      },
    });
  });

  it('omits optional fields that are not set', () => {
    const endpoint = toCreateBody(minimalConfig()).endpoint;
    expect(Object.keys(endpoint).sort()).toStrictEqual([
      'envs',
      'healthy',
      'image',
      'name',
      'policy',
      'ports',
      'products',
      'rootfsSize',
      'volumeMounts',
      'workerConfig',
    ]);
    expect(endpoint['image']).toStrictEqual({ image: 'nginx:1.27' });
    expect(endpoint['workerConfig']).not.toHaveProperty('requestTimeout');
  });

  it('never sends $schema or other keys that are not API fields', () => {
    const config = { ...fullConfig(), $schema: '../schemas/endpoint.schema.json' } as ReturnType<typeof fullConfig>;
    expect(JSON.stringify(toCreateBody(config))).not.toContain('$schema');
  });

  it('round-trips: what a live endpoint reports for a created body normalises back to the config', () => {
    const sent = toCreateBody(fullConfig()).endpoint;
    const echoed = { ...sent, id: 'abc', ports: [{ port: Number((sent['ports'] as { port: string }[])[0]?.port) }] };
    expect(normalizeLiveEndpoint(echoed).config).toStrictEqual(fullConfig());
  });
});

describe('toUpdateBody', () => {
  it('is flat: the id and the complete updatable config, without the fields update cannot change', () => {
    const body = toUpdateBody('2f9fb35f70c5b595', fullConfig());
    expect(body).toStrictEqual({
      id: '2f9fb35f70c5b595',
      name: 'sdxl-turbo',
      workerConfig: { minNum: 0, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
      ports: [{ port: '8080' }],
      policy: { type: 'queue', value: 30 },
      image: { image: 'ghcr.io/acme/sdxl:1.4.2', authId: 'auth-1f2e3d4c5b6a7980', command: 'python -m server --port 8080' },
      volumeMounts: [
        { type: 'local', size: 30, mountPath: '/workspace' },
        { type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models' },
      ],
      clusterID: 'cn-east-1',
      envs: [{ key: 'MODEL', value: 'sdxl' }],
      healthy: { path: '/health' },
    });
    expect(body).not.toHaveProperty('endpoint');
  });

  it('sends unset optional strings as "" so they are cleared, not kept', () => {
    const body = toUpdateBody('id1', minimalConfig());
    expect(body['image']).toStrictEqual({ image: 'nginx:1.27', authId: '', command: '' });
    expect(body['clusterID']).toBe('');
    expect(body['envs']).toStrictEqual([]);
    expect(body['volumeMounts']).toStrictEqual([]);
  });
});
