import type { Spec, VolumeMountSpec } from '../schema/definitions.js';
import type { EndpointConfig, VolumeMount } from '../schema/endpoint-config.js';

/**
 * The spec in the one shape everything is compared in: `$schema` dropped, ports as numbers,
 * empty optional strings absent, `envs` and `volumeMounts` always arrays, keys in a fixed order
 * (so serialised configs compare and diff stably). Pure.
 */
export function normalizeSpec(spec: Spec): EndpointConfig {
  const { workerConfig, image } = spec;
  return {
    name: spec.name,
    ...optionalString('appName', spec.appName),
    workerConfig: {
      minNum: workerConfig.minNum,
      maxNum: workerConfig.maxNum,
      freeTimeout: workerConfig.freeTimeout,
      maxConcurrent: workerConfig.maxConcurrent,
      gpuNum: workerConfig.gpuNum,
      ...(workerConfig.requestTimeout === undefined ? {} : { requestTimeout: workerConfig.requestTimeout }),
    },
    ports: spec.ports.map(({ port }) => ({ port: Number(port) })),
    policy: { type: spec.policy.type, value: spec.policy.value },
    image: { image: image.image, ...optionalString('authId', image.authId), ...optionalString('command', image.command) },
    products: spec.products.map(({ id }) => ({ id })),
    rootfsSize: spec.rootfsSize,
    volumeMounts: spec.volumeMounts.map(normalizeVolumeMount),
    ...optionalString('clusterID', spec.clusterID),
    envs: (spec.envs ?? []).map(({ key, value }) => ({ key, value })),
    healthy: { path: spec.healthy.path },
  };
}

function normalizeVolumeMount(mount: VolumeMountSpec): VolumeMount {
  return mount.type === 'network'
    ? { type: 'network', id: mount.id ?? '', mountPath: mount.mountPath }
    : { type: 'local', size: mount.size ?? 0, mountPath: mount.mountPath };
}

const optionalString = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
