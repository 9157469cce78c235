import { describe, expect, it } from '@jest/globals';
import { normalizeLiveEndpoint } from '../../src/api/index.js';
import { ApiError } from '../../src/common/errors.js';
import { fullConfig, liveObject, minimalConfig } from './fixtures.js';

describe('normalizeLiveEndpoint', () => {
  it('turns a live object with every quirk into exactly the normalised spec shape', () => {
    const live = normalizeLiveEndpoint(liveObject());
    expect(live.config).toStrictEqual(fullConfig());
  });

  it('keeps the platform fields apart and drops log, probe timings and cudaVersion', () => {
    const live = normalizeLiveEndpoint(liveObject());
    expect(live).toStrictEqual({
      id: '2f9fb35f70c5b595',
      url: 'https://2f9fb35f70c5b595-sdxl-turbo.runsync.serverless.ppinfra.com',
      state: { state: 'serving', error: '', message: '' },
      config: fullConfig(),
      workers: [{ id: 'w1', state: { state: 'running', error: '', message: '' }, healthy: true }],
    });
    expect(JSON.stringify(live)).not.toMatch(/cudaVersion|initialDelay|failureThreshold|endpoint log|boot/);
  });

  it.each([
    ['a number on get', 8080],
    ['a string on list', '8080'],
  ])('reads the port as a number when it is %s', (_case, port) => {
    expect(normalizeLiveEndpoint(liveObject({ ports: [{ port }] })).config.ports).toStrictEqual([{ port: 8080 }]);
  });

  it('drops unset optional strings ("" or null) instead of keeping empty values', () => {
    const live = normalizeLiveEndpoint(
      liveObject({
        name: 'minimal',
        appName: '',
        workerConfig: { minNum: 0, maxNum: 1, freeTimeout: '60', maxConcurrent: '1', gpuNum: 1, cudaVersion: '' },
        ports: [{ port: '80' }],
        policy: { type: 'concurrency', value: '5' },
        image: { image: 'nginx:1.27', authId: '', command: null },
        volumeMounts: null,
        clusterID: '',
        envs: null,
        healthy: { path: '/', period: 10 },
      }),
    );
    expect(live.config).toStrictEqual(minimalConfig());
  });

  it('reads an appName the platform defaulted to the id as not set', () => {
    expect('appName' in normalizeLiveEndpoint(liveObject({ appName: '2f9fb35f70c5b595' })).config).toBe(false);
  });

  it('treats absent envs and volumeMounts as empty lists', () => {
    const raw = liveObject();
    delete raw['envs'];
    delete raw['volumeMounts'];
    delete raw['clusterID'];
    const config = normalizeLiveEndpoint(raw).config;
    expect(config.envs).toStrictEqual([]);
    expect(config.volumeMounts).toStrictEqual([]);
    expect('clusterID' in config).toBe(false);
  });

  it('reads a requestTimeout sent as a string and leaves it out when unset', () => {
    const worker = { minNum: 1, maxNum: 2, freeTimeout: 5, maxConcurrent: 1, gpuNum: 1 };
    expect(normalizeLiveEndpoint(liveObject({ workerConfig: { ...worker, requestTimeout: '90' } })).config.workerConfig.requestTimeout).toBe(90);
    expect('requestTimeout' in normalizeLiveEndpoint(liveObject({ workerConfig: worker })).config.workerConfig).toBe(false);
  });

  it('accepts a numeric product id and the clusterId spelling', () => {
    const raw = liveObject({ products: [{ id: 3 }], clusterId: 'cn-east-1' });
    delete raw['clusterID'];
    const config = normalizeLiveEndpoint(raw).config;
    expect(config.products).toStrictEqual([{ id: '3' }]);
    expect(config.clusterID).toBe('cn-east-1');
  });

  it('defaults missing platform fields instead of failing', () => {
    const raw = liveObject();
    delete raw['state'];
    delete raw['workers'];
    delete raw['url'];
    const live = normalizeLiveEndpoint(raw);
    expect(live.state).toStrictEqual({ state: 'unknown', error: '', message: '' });
    expect(live.workers).toStrictEqual([]);
    expect(live.url).toBe('');
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'oops', /endpoint is a string, expected an object/],
    ['null', null, /endpoint is null, expected an object/],
    ['without an id', { ...liveObject(), id: undefined }, /endpoint\.id is missing, expected a string/],
    [
      'a non-numeric count',
      liveObject({ workerConfig: { minNum: 'many', maxNum: 1, freeTimeout: 1, maxConcurrent: 1, gpuNum: 1 } }),
      /workerConfig\.minNum is a string, expected an integer/,
    ],
    ['a fractional count', liveObject({ rootfsSize: 10.5 }), /rootfsSize is a number, expected an integer/],
    ['ports that are not a list', liveObject({ ports: { port: 80 } }), /ports is an object, expected an array/],
    [
      'an unknown volume type',
      liveObject({ volumeMounts: [{ type: 'nfs', mountPath: '/x' }] }),
      /volumeMounts\[0\]\.type is a string, expected "local" or "network"/,
    ],
    ['an unknown policy type', liveObject({ policy: { type: 'magic', value: 1 } }), /policy\.type is a string, expected "queue" or "concurrency"/],
    ['no health check', liveObject({ healthy: undefined }), /healthy is missing, expected an object/],
    [
      'an env value that is an object',
      liveObject({ envs: [{ key: 'A', value: { secret: 'x' } }] }),
      /envs\[0\]\.value is an object, expected a string/,
    ],
  ])('refuses a live object that is %s with a clear ApiError', (_case, raw, message) => {
    let thrown: unknown;
    try {
      normalizeLiveEndpoint(raw, 'list endpoints');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const apiError = thrown as ApiError;
    expect(apiError.message).toMatch(message);
    expect(apiError.message).toMatch(/^list endpoints/);
    expect(apiError.reason).toBe('MALFORMED_RESPONSE');
    expect(apiError.operation).toMatch(/^list endpoints/);
  });

  it('never puts a field value into the error message (it may be a secret)', () => {
    const raw = liveObject({ workerConfig: { minNum: 'hunter2-secret', maxNum: 1, freeTimeout: 1, maxConcurrent: 1, gpuNum: 1 } });
    expect(() => normalizeLiveEndpoint(raw)).toThrow(ApiError);
    try {
      normalizeLiveEndpoint(raw);
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});
