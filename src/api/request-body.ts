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
 * replaces the configuration (a field left out is dropped). `appName` (immutable), `products` and
 * `rootfsSize` are not update fields; a change to them is planned as a replace. Unset optional
 * strings are sent as `""` so they are cleared even if the service merged instead of replacing.
 */
export function toUpdateBody(id: string, config: EndpointConfig): Json {
  return {
    id,
    name: config.name,
    ...updatableFields(config),
    image: { image: config.image.image, authId: config.image.authId ?? '', command: config.image.command ?? '' },
    clusterID: config.clusterID ?? '',
  };
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
