import type { StoredEndpoint } from './endpoint-store.js';

/**
 * The live object get and list answer with, quirks included: `freeTimeout`,
 * `maxConcurrent` and `policy.value` as strings, the port a number on get but a string
 * on list, unset `authId`/`command` as `""`, a `cudaVersion`, the platform's fixed probe
 * numbers beside the health path, and the URL built from the id and the appName.
 */
export type PortStyle = 'number' | 'string';

/** Emulator-only switch: an image reference containing this ends up `failed`, to exercise failure paths. */
export const FAILING_IMAGE_MARKER = 'emulator-fail';

/** Probe timing is fixed by the platform; only the path is configurable. These are the observed values (s). */
const FIXED_PROBE = { initialDelay: 10, period: 10, timeout: 10, successThreshold: 1, failureThreshold: 3 };

type Phase = 'initializing' | 'serving' | 'failed' | 'terminating';

export function renderLiveEndpoint(endpoint: StoredEndpoint, now: number, portStyle: PortStyle): Record<string, unknown> {
  const { config } = endpoint;
  const phase = phaseOf(endpoint, now);
  const workerConfig: Record<string, unknown> = {
    minNum: config.workerConfig.minNum,
    maxNum: config.workerConfig.maxNum,
    freeTimeout: String(config.workerConfig.freeTimeout),
    maxConcurrent: String(config.workerConfig.maxConcurrent),
    gpuNum: config.workerConfig.gpuNum,
    cudaVersion: config.workerConfig.cudaVersion,
  };
  if (config.workerConfig.requestTimeout !== undefined) workerConfig['requestTimeout'] = config.workerConfig.requestTimeout;
  return {
    id: endpoint.id,
    name: config.name,
    appName: endpoint.appName,
    url: `https://${endpoint.id}-${endpoint.appName}.runsync.serverless.ppinfra.com`,
    state: stateOf(phase, config.image.image),
    workerConfig,
    ports: [{ port: portStyle === 'number' ? config.port : String(config.port) }],
    policy: { type: config.policy.type, value: String(config.policy.value) },
    image: { image: config.image.image, authId: config.image.authId, command: config.image.command },
    products: config.products.map((product) => ({ id: product.id })),
    rootfsSize: config.rootfsSize,
    volumeMounts: config.volumeMounts.map((mount) => ({ ...mount })),
    clusterID: config.clusterID,
    envs: config.envs.map((env) => ({ key: env.key, value: env.value })),
    healthy: { path: config.healthPath, ...FIXED_PROBE },
    workers: renderWorkers(endpoint, phase),
    log: '',
  };
}

function phaseOf(endpoint: StoredEndpoint, now: number): Phase {
  if (endpoint.goneAt !== undefined) return 'terminating';
  if (now < endpoint.readyAt) return 'initializing';
  return endpoint.config.image.image.includes(FAILING_IMAGE_MARKER) ? 'failed' : 'serving';
}

function stateOf(phase: Phase, image: string): { state: string; error: string; message: string } {
  if (phase === 'failed') {
    return { state: 'failed', error: 'ImagePullBackOff', message: `failed to pull image ${image}` };
  }
  return { state: phase, error: '', message: '' };
}

const WORKER_STATE: Record<Phase, string> = {
  initializing: 'pulling',
  serving: 'running',
  failed: 'failed',
  terminating: 'stopping',
};

/** `minNum` workers (at least one when failed, to carry the failure). */
function renderWorkers(endpoint: StoredEndpoint, phase: Phase): Record<string, unknown>[] {
  const count = phase === 'failed' ? Math.max(1, endpoint.config.workerConfig.minNum) : endpoint.config.workerConfig.minNum;
  return Array.from({ length: count }, (_, index) => ({
    id: `${endpoint.id}-w${index}`,
    state: { state: WORKER_STATE[phase], error: phase === 'failed' ? 'ImagePullBackOff' : '', message: '' },
    log: '',
    // A string in real responses, not an object.
    metrics: '',
    healthy: phase === 'serving',
  }));
}
