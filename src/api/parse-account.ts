import type { ResponseReader } from './response-reader.js';
import type { Cluster, EndpointLimits, NetworkStorage, RegistryAuth } from './types.js';

type NumericLimit = Exclude<keyof EndpointLimits, 'cudaVersionList'>;

const LIMIT_FIELDS: readonly NumericLimit[] = [
  'minRootfsSize',
  'maxRootfsSize',
  'minLocalVolumeSize',
  'maxLocalVolumeSize',
  'minWorkerNum',
  'maxWorkerNum',
  'minFreeTimeout',
  'maxFreeTimeout',
  'minConcurrencyNum',
  'maxConcurrencyNum',
  'minQueueWaitTime',
  'maxQueueWaitTime',
  'minRequestNum',
  'maxRequestNum',
  'minGPUNum',
  'maxGPUNum',
  'minRequestTimeout',
  'maxRequestTimeout',
];

/** `GET /endpoint/limit`: a flat object whose numbers may be strings. A range left out stays undefined. */
export function parseLimits(read: ResponseReader, body: unknown): EndpointLimits {
  const raw = read.object(body, 'limits');
  const limits: EndpointLimits = {
    cudaVersionList: read
      .optionalArray(raw['cudaVersionList'], 'cudaVersionList')
      .map((version, index) => read.string(version, `cudaVersionList[${index}]`)),
  };
  for (const field of LIMIT_FIELDS) {
    const value = raw[field];
    if (value !== undefined && value !== null && value !== '') limits[field] = read.number(value, field);
  }
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
      availableGpuType: read
        .optionalArray(cluster['availableGpuType'], `${path}.availableGpuType`)
        .map((gpu, gpuIndex) => read.string(gpu, `${path}.availableGpuType[${gpuIndex}]`)),
      supportNetworkStorage:
        cluster['supportNetworkStorage'] === undefined ? false : read.boolean(cluster['supportNetworkStorage'], `${path}.supportNetworkStorage`),
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
