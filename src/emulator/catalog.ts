/**
 * The account data the emulator serves besides endpoints: clusters, network storages,
 * registry auths, the serverless GPU products with their prices and the `/endpoint/limit`
 * ranges. The seeded values are plausible and do not contradict what real clients have been
 * seen to use; `--catalog FILE` (catalog-file.ts) replaces any part of them.
 */
export interface EmulatedCluster {
  id: string;
  name: string;
  availableGpuType: string[];
  supportNetworkStorage: boolean;
}

export interface EmulatedStorage {
  storageId: string;
  storageName: string;
  storageSize: number;
  clusterId: string;
  clusterName: string;
}

export interface EmulatedRegistryAuth {
  id: string;
  name: string;
  username: string;
  password: string;
}

export interface EmulatedProduct {
  id: string;
  name: string;
  /** USD per GPU per hour. Illustrative, not PPIO's price list. */
  pricePerGpuHour: number;
  /** The v2 list's `inventory_state`: `normal` (default), `low` or `sold_out`. */
  inventoryState?: string;
}

/**
 * The flat object `GET /endpoint/limit` answers with. A range left out is not reported (and
 * not enforced), which is how a client meets an account or API revision without it.
 */
export interface EmulatedLimits {
  minRootfsSize?: number;
  maxRootfsSize?: number;
  freeRootfsSize?: number;
  minLocalVolumeSize?: number;
  maxLocalVolumeSize?: number;
  freeLocalVolumeSize?: number;
  minWorkerNum?: number;
  maxWorkerNum?: number;
  minFreeTimeout?: number;
  maxFreeTimeout?: number;
  minConcurrencyNum?: number;
  maxConcurrencyNum?: number;
  minQueueWaitTime?: number;
  maxQueueWaitTime?: number;
  minRequestNum?: number;
  maxRequestNum?: number;
  minGPUNum?: number;
  maxGPUNum?: number;
  minRequestTimeout?: number;
  maxRequestTimeout?: number;
  cudaVersionList?: string[];
}

/** Everything the account holds besides endpoints. */
export interface EmulatorCatalog {
  clusters: EmulatedCluster[];
  storages: EmulatedStorage[];
  auths: EmulatedRegistryAuth[];
  products: EmulatedProduct[];
  limits: EmulatedLimits;
}

const GPU = {
  rtx4090: 'RTX 4090 24GB',
  rtx3090: 'RTX 3090 24GB',
  a100: 'A100 SXM4 80GB',
  h100: 'H100 SXM 80GB',
  l40s: 'L40S 48GB',
  rtx6000: 'RTX 6000 Ada 48GB',
  a6000: 'A6000 48GB',
  h800: 'H800 SXM 80GB',
};

export const DEFAULT_CLUSTERS: EmulatedCluster[] = [
  { id: 'cn-east-1', name: 'China East 1', availableGpuType: [GPU.rtx4090, GPU.a100, GPU.h100, GPU.h800], supportNetworkStorage: true },
  { id: 'us-west-1', name: 'US West 1', availableGpuType: [GPU.rtx4090, GPU.l40s], supportNetworkStorage: false },
  // A cluster id of the shape real accounts show.
  { id: 'us-dallas-nas-2', name: 'US Dallas NAS 2', availableGpuType: [GPU.rtx4090, GPU.rtx6000, GPU.a6000, GPU.h100], supportNetworkStorage: true },
];

export const DEFAULT_STORAGES: EmulatedStorage[] = [
  { storageId: 'ns-7f3a9c1e2b4d6a80', storageName: 'models', storageSize: 100, clusterId: 'cn-east-1', clusterName: 'China East 1' },
  { storageId: 'ns-2c8e41b7d9f05a36', storageName: 'checkpoints', storageSize: 500, clusterId: 'us-dallas-nas-2', clusterName: 'US Dallas NAS 2' },
];

export const DEFAULT_AUTHS: EmulatedRegistryAuth[] = [
  { id: 'auth-1f2e3d4c5b6a7980', name: 'ghcr-acme', username: 'acme-bot', password: 'emulator-not-a-secret' },
];

/** Serverless product (GPU type) ids the service knows; anything else is SERVERLESS_PRODUCT_NOT_FOUND. */
export const DEFAULT_PRODUCTS: EmulatedProduct[] = [
  { id: '1', name: GPU.rtx4090, pricePerGpuHour: 0.69 },
  { id: '2', name: GPU.rtx3090, pricePerGpuHour: 0.42 },
  { id: '3', name: GPU.a100, pricePerGpuHour: 1.89 },
  { id: '4', name: GPU.h100, pricePerGpuHour: 2.89 },
  { id: '5', name: GPU.l40s, pricePerGpuHour: 1.09 },
  { id: '6', name: GPU.rtx6000, pricePerGpuHour: 0.99 },
  { id: '7', name: GPU.a6000, pricePerGpuHour: 0.59 },
  { id: '8', name: GPU.h800, pricePerGpuHour: 2.59 },
];

/**
 * No real numbers are published. Wide enough for every value real clients were seen to send
 * (rootfsSize 50 and 130, requestTimeout 3600), with the worker range starting at 0 (scale to
 * zero is documented).
 */
export const DEFAULT_LIMITS: EmulatedLimits = {
  minRootfsSize: 10,
  maxRootfsSize: 500,
  freeRootfsSize: 100,
  minLocalVolumeSize: 10,
  maxLocalVolumeSize: 500,
  freeLocalVolumeSize: 30,
  minWorkerNum: 0,
  maxWorkerNum: 1000,
  minFreeTimeout: 1,
  maxFreeTimeout: 3600,
  minConcurrencyNum: 1,
  maxConcurrencyNum: 1000,
  minQueueWaitTime: 1,
  maxQueueWaitTime: 1000,
  minRequestNum: 1,
  maxRequestNum: 1000,
  minGPUNum: 1,
  maxGPUNum: 8,
  minRequestTimeout: 1,
  maxRequestTimeout: 3600,
  cudaVersionList: ['11.8', '12.1', '12.2', '12.4', '12.6'],
};

export const DEFAULT_CATALOG: EmulatorCatalog = {
  clusters: DEFAULT_CLUSTERS,
  storages: DEFAULT_STORAGES,
  auths: DEFAULT_AUTHS,
  products: DEFAULT_PRODUCTS,
  limits: DEFAULT_LIMITS,
};
