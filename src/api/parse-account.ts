import type { ResponseReader } from './response-reader.js';
import type { Cluster, EndpointLimits, NetworkStorage, RegistryAuth } from './types.js';

type NumericLimit = Exclude<keyof EndpointLimits, 'cudaVersionList'>;

/**
 * Used for a range the API leaves out (older revisions have no request timeout): the web
 * console's own fallbacks. Worker counts start at 0 because scale to zero is documented.
 */
const LIMIT_FALLBACKS: Record<NumericLimit, number> = {
  minRootfsSize: 100, maxRootfsSize: 100,
  minLocalVolumeSize: 30, maxLocalVolumeSize: 30,
  minWorkerNum: 0, maxWorkerNum: 1000,
  minFreeTimeout: 1, maxFreeTimeout: 1000,
  minConcurrencyNum: 1, maxConcurrencyNum: 1000,
  minQueueWaitTime: 1, maxQueueWaitTime: 1000,
  minRequestNum: 1, maxRequestNum: 1000,
  minGPUNum: 1, maxGPUNum: 8,
  minRequestTimeout: 1, maxRequestTimeout: 1800,
};

/** `GET /endpoint/limit`: a flat object whose numbers may be strings. */
export function parseLimits(read: ResponseReader, body: unknown): EndpointLimits {
  const raw = read.object(body, 'limits');
  const limits = {} as EndpointLimits;
  for (const [field, fallback] of Object.entries(LIMIT_FALLBACKS) as [NumericLimit, number][]) {
    const value = raw[field];
    limits[field] = value === undefined || value === null || value === '' ? fallback : read.number(value, field);
  }
  limits.cudaVersionList = read.optionalArray(raw['cudaVersionList'], 'cudaVersionList').map((version, index) => read.string(version, `cudaVersionList[${index}]`));
  return limits;
}

/** `GET /clusters`: `{data: [...]}`. */
export function parseClusters(read: ResponseReader, body: unknown): Cluster[] {
  return dataArray(read, body).map((item, index) => {
    const path = `data[${index}]`;
    const cluster = read.object(item, path);
    return {
      id: read.string(cluster['id'], `${path}.id`),
      name: read.optionalString(cluster['name'], `${path}.name`) ?? '',
      availableGpuType: read.optionalArray(cluster['availableGpuType'], `${path}.availableGpuType`).map((gpu, gpuIndex) => read.string(gpu, `${path}.availableGpuType[${gpuIndex}]`)),
      supportNetworkStorage: cluster['supportNetworkStorage'] === undefined ? false : read.boolean(cluster['supportNetworkStorage'], `${path}.supportNetworkStorage`),
    };
  });
}

/** One page of `GET /networkstorages/list`: `{data: [...], total}`. */
export function parseNetworkStoragePage(read: ResponseReader, body: unknown): { items: NetworkStorage[]; total: number | undefined } {
  const items = dataArray(read, body).map((item, index) => {
    const path = `data[${index}]`;
    const storage = read.object(item, path);
    return {
      storageId: read.string(storage['storageId'], `${path}.storageId`),
      storageName: read.optionalString(storage['storageName'], `${path}.storageName`) ?? '',
      storageSize: read.number(storage['storageSize'] ?? 0, `${path}.storageSize`),
      clusterId: read.optionalString(storage['clusterId'], `${path}.clusterId`) ?? '',
      clusterName: read.optionalString(storage['clusterName'], `${path}.clusterName`) ?? '',
    };
  });
  return { items, total: read.optionalInteger(read.object(body, 'response')['total'], 'total') };
}

/**
 * `GET /repository/auths`: `{data: [{id, name, username, password}]}`. Only id and name are
 * kept; the credentials are never copied into anything that could be logged.
 */
export function parseRegistryAuths(read: ResponseReader, body: unknown): RegistryAuth[] {
  return dataArray(read, body).map((item, index) => {
    const path = `data[${index}]`;
    const auth = read.object(item, path);
    return { id: read.string(auth['id'], `${path}.id`), name: read.optionalString(auth['name'], `${path}.name`) ?? '' };
  });
}

function dataArray(read: ResponseReader, body: unknown): unknown[] {
  return read.optionalArray(read.object(body, 'response')['data'], 'data');
}
