/**
 * The normalised endpoint configuration: the one shape that desired specs, live
 * endpoints and the lockfile's `applied` copy are all converted to before they are
 * compared. Ports are numbers, unset optional strings are absent, envs and
 * volumeMounts are always arrays, `$schema` is gone.
 */
export interface EndpointConfig {
  name: string;
  appName?: string;
  workerConfig: {
    minNum: number;
    maxNum: number;
    freeTimeout: number;
    maxConcurrent: number;
    gpuNum: number;
    requestTimeout?: number;
  };
  ports: { port: number }[];
  policy: { type: 'queue' | 'concurrency'; value: number };
  image: { image: string; authId?: string; command?: string };
  products: { id: string }[];
  rootfsSize: number;
  volumeMounts: VolumeMount[];
  clusterID?: string;
  envs: { key: string; value: string }[];
  healthy: { path: string };
}

export type VolumeMount =
  | { type: 'local'; size: number; mountPath: string }
  | { type: 'network'; id: string; mountPath: string };

/** Fields the v1 update API cannot change: a difference means delete + create. */
export const REPLACE_FIELDS = ['appName', 'products', 'rootfsSize'] as const;
