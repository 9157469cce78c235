import { invalidParam } from './api-fault.js';
import type { FieldReader } from './field-reader.js';

/**
 * The configuration carried by a create body's `endpoint` object or by a flat update
 * body, checked against the rules the service documents for each field. Account-level
 * checks (limits, products, storages, auths) live in endpoint-rules.ts.
 */
export interface EndpointDraft {
  name: string;
  workerConfig: WorkerConfig;
  port: number;
  policy: { type: PolicyType; value: number };
  image: { image: string; authId: string; command: string };
  /** Absent only in an update body, which may leave them out. */
  products?: { id: string }[];
  rootfsSize?: number;
  volumeMounts: VolumeMountDraft[];
  clusterID: string;
  envs: { key: string; value: string }[];
  /** `''` when an update body left the health check out (the docs warn it is dropped). */
  healthPath: string;
}

export interface WorkerConfig {
  minNum: number;
  maxNum: number;
  freeTimeout: number;
  maxConcurrent: number;
  gpuNum: number;
  /** Older clients do not send it; the service takes a create without it and fills it in. */
  requestTimeout?: number;
  /** Seen in responses; kept when a client sends it, `''` otherwise. */
  cudaVersion: string;
}

export type PolicyType = 'queue' | 'concurrency';

export type VolumeMountDraft = { type: 'local'; size: number; mountPath: string } | { type: 'network'; id: string; mountPath: string };

/** The service's internal ports; a create or update using one is refused. */
const INTERNAL_PORTS = new Set([2222, 2223, 2224]);

/** Lowercase letters, digits and hyphens, starting and ending with a letter or digit (a DNS label). */
const APP_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export type BodyKind = 'create' | 'update';

export function readEndpointDraft(fields: FieldReader, kind: BodyKind): EndpointDraft {
  const draft: EndpointDraft = {
    name: fields.optionalString('name', 220),
    workerConfig: readWorkerConfig(fields.requiredObject('workerConfig')),
    port: readSinglePort(fields),
    policy: readPolicy(fields.requiredObject('policy')),
    image: readImage(fields.requiredObject('image')),
    volumeMounts: fields.objectArray('volumeMounts').map(readVolumeMount),
    clusterID: fields.optionalString('clusterID', 255),
    envs: fields.objectArray('envs').map(readEnv),
    healthPath: readHealthPath(fields, kind),
  };
  if (kind === 'create' || fields.has('products')) draft.products = readProducts(fields);
  if (kind === 'create' || fields.has('rootfsSize')) draft.rootfsSize = fields.requiredInteger('rootfsSize');
  checkClusterForNetworkMounts(draft, fields);
  return draft;
}

/** `appName` of a create body: optional (it defaults to the id), pattern-checked when given. */
export function readAppName(fields: FieldReader): string | undefined {
  const appName = fields.optionalString('appName', 255);
  if (appName === '') return undefined;
  // The URL host is `{id}-{appName}`, one DNS label of at most 63 characters; ids have 16.
  if (appName.length > 46) {
    throw invalidParam(`${fields.pathOf('appName')} must be at most 46 characters: the URL host {id}-{appName} is one DNS label (at most 63)`);
  }
  if (!APP_NAME.test(appName)) {
    throw invalidParam(
      `${fields.pathOf('appName')} "${appName}" is invalid: use lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  }
  return appName;
}

function readWorkerConfig(fields: FieldReader): WorkerConfig {
  const config: WorkerConfig = {
    minNum: fields.requiredInteger('minNum'),
    maxNum: fields.requiredInteger('maxNum'),
    freeTimeout: fields.requiredInteger('freeTimeout'),
    maxConcurrent: fields.requiredInteger('maxConcurrent'),
    gpuNum: fields.requiredInteger('gpuNum'),
    cudaVersion: fields.optionalString('cudaVersion', 32),
  };
  const requestTimeout = fields.optionalInteger('requestTimeout');
  if (requestTimeout !== undefined) config.requestTimeout = requestTimeout;
  if (config.minNum > config.maxNum) {
    throw invalidParam(`${fields.pathOf('minNum')} (${config.minNum}) must not exceed maxNum (${config.maxNum})`);
  }
  return config;
}

function readSinglePort(fields: FieldReader): number {
  const ports = fields.objectArray('ports');
  if (ports.length !== 1) {
    throw invalidParam(`${fields.pathOf('ports')} must hold exactly one port (got ${ports.length})`);
  }
  return readPort(ports[0]!);
}

/** Documented as a string; a number is taken too, as the service's decoder does. */
function readPort(fields: FieldReader): number {
  const raw = fields.raw('port');
  const path = fields.pathOf('port');
  if (raw === undefined || raw === '') throw invalidParam(`${path} is required`);
  const port = typeof raw === 'string' && /^[0-9]{1,5}$/.test(raw) ? Number(raw) : raw;
  if (typeof port !== 'number' || !Number.isInteger(port)) throw invalidParam(`${path} must be a port number written as a string`);
  if (port < 1 || port > 65535) throw invalidParam(`${path} ${port} is out of range 1-65535`);
  if (INTERNAL_PORTS.has(port)) throw invalidParam(`${path} ${port} is an internal port (2222, 2223 and 2224 cannot be used)`);
  return port;
}

function readPolicy(fields: FieldReader): EndpointDraft['policy'] {
  const type = fields.requiredString('type', 32);
  if (type !== 'queue' && type !== 'concurrency') {
    throw invalidParam(`${fields.pathOf('type')} must be "queue" or "concurrency" (got "${type}")`);
  }
  return { type, value: fields.requiredInteger('value') };
}

function readImage(fields: FieldReader): EndpointDraft['image'] {
  return {
    image: fields.requiredString('image', 511),
    authId: fields.optionalString('authId', 255),
    command: fields.optionalString('command', 2047),
  };
}

function readProducts(fields: FieldReader): { id: string }[] {
  const products = fields.objectArray('products').map((product) => ({ id: product.requiredString('id', 64) }));
  if (products.length === 0) throw invalidParam(`${fields.pathOf('products')} is required`);
  return products;
}

function readVolumeMount(fields: FieldReader): VolumeMountDraft {
  const type = fields.requiredString('type', 32);
  const mountPath = fields.requiredString('mountPath', 255);
  if (type === 'local') {
    if (fields.optionalString('id', 255) !== '') {
      throw invalidParam(`${fields.pathOf('id')} is only for network volumes; a local volume takes a size`);
    }
    return { type, size: fields.requiredInteger('size'), mountPath };
  }
  if (type === 'network') {
    // Zero is what the service's decoder makes of an absent size, so only a real size is refused.
    if ((fields.optionalInteger('size') ?? 0) !== 0) {
      throw invalidParam(`${fields.pathOf('size')} is only for local volumes; a network volume's size is the storage's`);
    }
    return { type, id: fields.requiredString('id', 255), mountPath };
  }
  throw invalidParam(`${fields.pathOf('type')} must be "local" or "network" (got "${type}")`);
}

function readEnv(fields: FieldReader): { key: string; value: string } {
  return { key: fields.requiredString('key', 1024), value: fields.optionalString('value', 65536) };
}

function readHealthPath(fields: FieldReader, kind: BodyKind): string {
  if (kind === 'update' && !fields.has('healthy')) return '';
  return fields.requiredObject('healthy').requiredString('path', 1024);
}

function checkClusterForNetworkMounts(draft: EndpointDraft, fields: FieldReader): void {
  if (draft.clusterID === '' && draft.volumeMounts.some((mount) => mount.type === 'network')) {
    throw invalidParam(`${fields.pathOf('clusterID')} is required when a network volume is mounted`);
  }
}
