import type { EndpointConfig } from '../../src/schema/endpoint-config.js';

/** A normalised config, as normalizeSpec produces it, with every optional field set. */
export function fullConfig(overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  return {
    name: 'sdxl-turbo',
    appName: 'sdxl-turbo',
    workerConfig: { minNum: 0, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
    ports: [{ port: 8080 }],
    policy: { type: 'queue', value: 30 },
    image: { image: 'ghcr.io/acme/sdxl:1.4.2', authId: 'auth-1f2e3d4c5b6a7980', command: 'python -m server --port 8080' },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [
      { type: 'local', size: 30, mountPath: '/workspace' },
      { type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models' },
    ],
    clusterID: 'cn-east-1',
    envs: [{ key: 'MODEL', value: 'sdxl' }],
    healthy: { path: '/health' },
    ...overrides,
  };
}

/** A config with no optional field set. */
export function minimalConfig(name = 'minimal'): EndpointConfig {
  return {
    name,
    workerConfig: { minNum: 0, maxNum: 1, freeTimeout: 60, maxConcurrent: 1, gpuNum: 1 },
    ports: [{ port: 80 }],
    policy: { type: 'concurrency', value: 5 },
    image: { image: 'nginx:1.27' },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [],
    envs: [],
    healthy: { path: '/' },
  };
}

/** A live object as the real API answers a get, quirks included. */
export function liveObject(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: '2f9fb35f70c5b595',
    name: 'sdxl-turbo',
    appName: 'sdxl-turbo',
    url: 'https://2f9fb35f70c5b595-sdxl-turbo.runsync.serverless.ppinfra.com',
    state: { state: 'serving', error: '', message: '' },
    workerConfig: { minNum: '0', maxNum: 4, freeTimeout: '300', maxConcurrent: '2', gpuNum: 1, requestTimeout: 120, cudaVersion: '12.4' },
    ports: [{ port: 8080 }],
    policy: { type: 'queue', value: '30' },
    image: { image: 'ghcr.io/acme/sdxl:1.4.2', authId: 'auth-1f2e3d4c5b6a7980', command: 'python -m server --port 8080' },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [
      { type: 'local', size: 30, mountPath: '/workspace', id: '' },
      { type: 'network', id: 'ns-7f3a9c1e2b4d6a80', mountPath: '/models', size: 0 },
    ],
    clusterID: 'cn-east-1',
    envs: [{ key: 'MODEL', value: 'sdxl' }],
    healthy: { path: '/health', initialDelay: 30, period: 10, timeout: 5, successThreshold: 1, failureThreshold: 60 },
    workers: [{ id: 'w1', state: { state: 'running', error: '', message: '' }, log: 'boot…', metrics: {}, healthy: true }],
    log: 'endpoint log',
    ...overrides,
  };
}

/** `config` as the emulator's platform fills it in: the default requestTimeout, and the cluster of product "1". */
export function platformFilled(config: EndpointConfig): EndpointConfig {
  return {
    ...config,
    workerConfig: { ...config.workerConfig, requestTimeout: config.workerConfig.requestTimeout ?? 300 },
    clusterID: config.clusterID ?? 'cn-east-1',
  };
}
