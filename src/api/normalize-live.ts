import { ApiError } from '../common/errors.js';
import type { EndpointConfig, VolumeMount } from '../schema/endpoint-config.js';
import { ResponseReader } from './response-reader.js';
import type { EndpointState, LiveEndpoint, WorkerInfo } from './types.js';

type Json = Record<string, unknown>;

/**
 * Turns a live endpoint (from get or list) into the normalised shape a spec is diffed in, with
 * the platform's own fields (id, url, state, workers) kept apart. Absorbs the API's quirks:
 * numbers as strings, ports as a number on get and a string on list, `""` for unset strings,
 * an appName defaulted to the id, extra fields (`log`, probe timings, `cudaVersion`).
 * Throws ApiError (reason MALFORMED_RESPONSE) on a malformed object.
 */
export function normalizeLiveEndpoint(raw: unknown, operation = 'read endpoint'): LiveEndpoint {
  const read = new ResponseReader(operation);
  const live = read.object(raw, 'endpoint');
  const id = read.string(live['id'], 'endpoint.id');
  const subject = new ResponseReader(`${operation} (endpoint ${id})`);
  return {
    id,
    url: subject.optionalString(live['url'], 'url') ?? '',
    state: readState(subject, live['state'], 'state'),
    config: readConfig(subject, id, live),
    workers: subject.optionalArray(live['workers'], 'workers').map((worker, index) => readWorker(subject, worker, `workers[${index}]`)),
  };
}

/**
 * A listed endpoint, read strictly when it can be; otherwise leniently: only the id is
 * required, name, appName and state are read when they are there, and `unreadable` says what
 * did not parse. Endpoints made by other tools (async, v2) carry shapes the v1 docs do not
 * list; one of them must not make a whole listing fail. An unreadable endpoint's `config` is a
 * placeholder, never to be diffed: the caller reads the endpoints it manages strictly.
 */
export function normalizeListedEndpoint(raw: unknown, operation: string): LiveEndpoint {
  try {
    return normalizeLiveEndpoint(raw, operation);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const read = new ResponseReader(operation);
    const live = read.object(raw, 'endpoint');
    const id = read.string(live['id'], 'endpoint.id');
    const lenient = <T>(parse: () => T, fallback: T): T => {
      try {
        return parse();
      } catch {
        return fallback;
      }
    };
    const name = lenient(() => read.optionalString(live['name'], 'name') ?? '', '');
    const appName = lenient(() => read.optionalString(live['appName'], 'appName'), undefined);
    return {
      id,
      url: lenient(() => read.optionalString(live['url'], 'url') ?? '', ''),
      state: lenient(() => readState(read, live['state'], 'state'), { state: 'unknown', error: '', message: '' }),
      config: placeholderConfig(name, appName === id ? undefined : appName),
      workers: [],
      unreadable: error.message,
    };
  }
}

function placeholderConfig(name: string, appName: string | undefined): EndpointConfig {
  return {
    name,
    ...(appName === undefined ? {} : { appName }),
    workerConfig: { minNum: 0, maxNum: 0, freeTimeout: 0, maxConcurrent: 0, gpuNum: 0 },
    ports: [],
    policy: { type: 'queue', value: 0 },
    image: { image: '' },
    products: [],
    rootfsSize: 0,
    volumeMounts: [],
    envs: [],
    healthy: { path: '' },
  };
}

function readConfig(read: ResponseReader, id: string, live: Json): EndpointConfig {
  // An endpoint created without an appName gets its id as appName: that is "not set" in a spec.
  const liveAppName = read.optionalString(live['appName'], 'appName');
  const appName = liveAppName === id ? undefined : liveAppName;
  // The create body spells it clusterID; tolerate the storage API's clusterId spelling too.
  const clusterID = read.optionalString(live['clusterID'] ?? live['clusterId'], 'clusterID');
  return {
    name: read.optionalString(live['name'], 'name') ?? '',
    ...(appName === undefined ? {} : { appName }),
    workerConfig: readWorkerConfig(read, live['workerConfig']),
    ports: read.array(live['ports'], 'ports').map((port, index) => readPort(read, port, `ports[${index}]`)),
    policy: readPolicy(read, live['policy']),
    image: readImage(read, live['image']),
    products: read.array(live['products'], 'products').map((product, index) => readProduct(read, product, `products[${index}]`)),
    rootfsSize: read.integer(live['rootfsSize'], 'rootfsSize'),
    volumeMounts: read
      .optionalArray(live['volumeMounts'], 'volumeMounts')
      .map((mount, index) => readVolumeMount(read, mount, `volumeMounts[${index}]`)),
    ...(clusterID === undefined ? {} : { clusterID }),
    envs: read.optionalArray(live['envs'], 'envs').map((env, index) => readEnv(read, env, `envs[${index}]`)),
    healthy: { path: read.string(read.object(live['healthy'], 'healthy')['path'], 'healthy.path') },
  };
}

function readWorkerConfig(read: ResponseReader, value: unknown): EndpointConfig['workerConfig'] {
  const worker = read.object(value, 'workerConfig');
  const count = (field: string) => read.integer(worker[field], `workerConfig.${field}`);
  const workerConfig: EndpointConfig['workerConfig'] = {
    minNum: count('minNum'),
    maxNum: count('maxNum'),
    freeTimeout: count('freeTimeout'),
    maxConcurrent: count('maxConcurrent'),
    gpuNum: count('gpuNum'),
  };
  const requestTimeout = read.optionalInteger(worker['requestTimeout'], 'workerConfig.requestTimeout');
  if (requestTimeout !== undefined) workerConfig.requestTimeout = requestTimeout;
  return workerConfig;
}

function readPort(read: ResponseReader, value: unknown, path: string): { port: number } {
  return { port: read.integer(read.object(value, path)['port'], `${path}.port`) };
}

function readProduct(read: ResponseReader, value: unknown, path: string): { id: string } {
  return { id: read.string(read.object(value, path)['id'], `${path}.id`) };
}

function readPolicy(read: ResponseReader, value: unknown): EndpointConfig['policy'] {
  const policy = read.object(value, 'policy');
  const type = read.string(policy['type'], 'policy.type');
  if (type !== 'queue' && type !== 'concurrency') read.fail('policy.type', '"queue" or "concurrency"', type);
  return { type, value: read.integer(policy['value'], 'policy.value') };
}

function readImage(read: ResponseReader, value: unknown): EndpointConfig['image'] {
  const image = read.object(value, 'image');
  const result: EndpointConfig['image'] = { image: read.string(image['image'], 'image.image') };
  const authId = read.optionalString(image['authId'], 'image.authId');
  if (authId !== undefined) result.authId = authId;
  const command = read.optionalString(image['command'], 'image.command');
  if (command !== undefined) result.command = command;
  return result;
}

/** `local` mounts keep their size and drop any id; `network` mounts keep the storage id and drop the size. */
function readVolumeMount(read: ResponseReader, value: unknown, path: string): VolumeMount {
  const mount = read.object(value, path);
  const type = read.string(mount['type'], `${path}.type`);
  const mountPath = read.string(mount['mountPath'], `${path}.mountPath`);
  if (type === 'local') return { type, size: read.integer(mount['size'], `${path}.size`), mountPath };
  if (type === 'network') return { type, id: read.string(mount['id'], `${path}.id`), mountPath };
  return read.fail(`${path}.type`, '"local" or "network"', type);
}

function readEnv(read: ResponseReader, value: unknown, path: string): { key: string; value: string } {
  const env = read.object(value, path);
  return { key: read.string(env['key'], `${path}.key`), value: read.string(env['value'] ?? '', `${path}.value`) };
}

function readState(read: ResponseReader, value: unknown, path: string): EndpointState {
  if (value === undefined || value === null) return { state: 'unknown', error: '', message: '' };
  const state = read.object(value, path);
  return {
    state: read.optionalString(state['state'], `${path}.state`) ?? 'unknown',
    error: read.optionalString(state['error'], `${path}.error`) ?? '',
    message: read.optionalString(state['message'], `${path}.message`) ?? '',
  };
}

function readWorker(read: ResponseReader, value: unknown, path: string): WorkerInfo {
  const worker = read.object(value, path);
  return {
    id: read.string(worker['id'], `${path}.id`),
    state: readState(read, worker['state'], `${path}.state`),
    healthy: worker['healthy'] === true || worker['healthy'] === 'true',
  };
}
