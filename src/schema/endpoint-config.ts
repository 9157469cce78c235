import type { Spec } from './definitions.js';

/**
 * The normalised endpoint configuration: the one shape that desired specs, live
 * endpoints and the lockfile's `applied` copy are all converted to before they are
 * compared. Derived from the spec's own type, it differs only where normalisation does:
 * `$schema` is gone, ports are numbers, unset optional strings are absent, envs and
 * volumeMounts are always arrays, and `requestTimeout` may be missing (a live endpoint
 * need not report it).
 */
export interface EndpointConfig extends Omit<Spec, '$schema' | 'workerConfig' | 'ports' | 'volumeMounts' | 'envs'> {
  workerConfig: Omit<Spec['workerConfig'], 'requestTimeout'> & Partial<Pick<Spec['workerConfig'], 'requestTimeout'>>;
  ports: { port: number }[];
  volumeMounts: VolumeMount[];
  envs: NonNullable<Spec['envs']>;
}

export type VolumeMount = { type: 'local'; size: number; mountPath: string } | { type: 'network'; id: string; mountPath: string };

/** Fields the v1 update API cannot change: a difference means delete + create. */
export const REPLACE_FIELDS = ['appName', 'products', 'rootfsSize'] as const;
