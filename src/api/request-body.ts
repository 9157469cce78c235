import type { EndpointConfig, VolumeMount } from '../schema/endpoint-config.js';

type Json = Record<string, unknown>;

/** `POST /endpoint/create` body: the config as the API's `endpoint` object. */
export function toCreateBody(config: EndpointConfig): { endpoint: Json } {
  return {
    endpoint: {
      name: config.name,
      ...(config.appName === undefined ? {} : { appName: config.appName }),
      ...updatableFields(config),
      products: config.products.map((product) => ({ id: product.id })),
      rootfsSize: toInteger(config.rootfsSize),
    },
  };
}

/**
 * `POST /endpoint/update` body: flat, `id` plus the complete config, because the v1 update
 * replaces the configuration (a field left out is dropped). Read-merge-write: what the spec
 * does not set but the platform filled in or another tool set (`clusterID`,
 * `workerConfig.requestTimeout`, `cudaVersion`, unknown worker settings) is sent back with its
 * live value, and so are the fields an update cannot change (`appName`, `products`,
 * `rootfsSize`: a change to them is planned as a replace), so nothing is reset by leaving it
 * out. Unset optional strings a spec manages (`authId`, `command`) are sent as `""` so they
 * are cleared even if the service merged instead of replacing.
 */
export function toUpdateBody(id: string, config: EndpointConfig, live: Json = {}): Json {
  const liveWorker = isObject(live['workerConfig']) ? live['workerConfig'] : {};
  const body: Json = {
    id,
    ...pickPresent(live, ['appName', 'products', 'rootfsSize']),
    name: config.name,
    ...updatableFields(config),
    image: { image: config.image.image, authId: config.image.authId ?? '', command: config.image.command ?? '' },
    clusterID: config.clusterID ?? liveString(live['clusterID'] ?? live['clusterId']),
  };
  const worker = body['workerConfig'] as Json;
  // Settings the spec has no field for (cudaVersion, and any the platform adds) keep their live value.
  for (const [key, value] of Object.entries(liveWorker)) if (!(key in worker) && value !== null && value !== undefined) worker[key] = value;
  if (config.workerConfig.requestTimeout === undefined && 'requestTimeout' in worker)
    worker['requestTimeout'] = toIntegerOrAsIs(worker['requestTimeout']);
  return body;
}

function updatableFields(config: EndpointConfig): Json {
  return {
    workerConfig: workerConfigBody(config.workerConfig),
    // The API takes the port as a string.
    ports: config.ports.map((entry) => ({ port: String(toInteger(entry.port)) })),
    policy: { type: config.policy.type, value: toInteger(config.policy.value) },
    image: imageBody(config.image),
    volumeMounts: config.volumeMounts.map(volumeMountBody),
    ...(config.clusterID === undefined ? {} : { clusterID: config.clusterID }),
    envs: config.envs.map((env) => ({ key: env.key, value: env.value })),
    healthy: { path: config.healthy.path },
  };
}

function workerConfigBody(worker: EndpointConfig['workerConfig']): Json {
  return {
    minNum: toInteger(worker.minNum),
    maxNum: toInteger(worker.maxNum),
    freeTimeout: toInteger(worker.freeTimeout),
    maxConcurrent: toInteger(worker.maxConcurrent),
    gpuNum: toInteger(worker.gpuNum),
    ...(worker.requestTimeout === undefined ? {} : { requestTimeout: toInteger(worker.requestTimeout) }),
  };
}

function imageBody(image: EndpointConfig['image']): Json {
  return {
    image: image.image,
    ...(image.authId === undefined ? {} : { authId: image.authId }),
    ...(image.command === undefined ? {} : { command: image.command }),
  };
}

/** `local` sends its size and no id; `network` sends the storage id and no size. */
function volumeMountBody(mount: VolumeMount): Json {
  return mount.type === 'local'
    ? { type: 'local', size: toInteger(mount.size), mountPath: mount.mountPath }
    : { type: 'network', id: mount.id, mountPath: mount.mountPath };
}

/** The API wants integers; a normalised config already has them, this guards against "30" or 30.0. */
function toInteger(value: number | string): number {
  return Math.trunc(Number(value));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickPresent(live: Json, keys: string[]): Json {
  return Object.fromEntries(
    keys.filter((key) => live[key] !== undefined && live[key] !== null && live[key] !== '').map((key) => [key, toIntegerOrAsIs(live[key])]),
  );
}

function liveString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A live number may come back as a string (`"300"`); the API wants the integer. */
function toIntegerOrAsIs(value: unknown): unknown {
  return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}
