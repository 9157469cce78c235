/**
 * The account data the emulator serves besides endpoints: clusters, network storages,
 * registry auths, the GPU product catalogue and the `/endpoint/limit` ranges. Tests and
 * users can replace the first three through the options.
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
}

/** The flat object `GET /endpoint/limit` answers with. */
export interface EmulatedLimits {
  minRootfsSize: number; maxRootfsSize: number; freeRootfsSize: number;
  minLocalVolumeSize: number; maxLocalVolumeSize: number; freeLocalVolumeSize: number;
  minWorkerNum: number; maxWorkerNum: number;
  minFreeTimeout: number; maxFreeTimeout: number;
  minConcurrencyNum: number; maxConcurrencyNum: number;
  minQueueWaitTime: number; maxQueueWaitTime: number;
  minRequestNum: number; maxRequestNum: number;
  minGPUNum: number; maxGPUNum: number;
  minRequestTimeout: number; maxRequestTimeout: number;
  cudaVersionList: string[];
}

export const DEFAULT_CLUSTERS: EmulatedCluster[] = [
  { id: 'cn-east-1', name: 'China East 1', availableGpuType: ['RTX 4090 24GB', 'A100 SXM4 80GB', 'H100 SXM 80GB'], supportNetworkStorage: true },
  { id: 'us-west-1', name: 'US West 1', availableGpuType: ['RTX 4090 24GB', 'L40S 48GB'], supportNetworkStorage: false },
];

export const DEFAULT_STORAGES: EmulatedStorage[] = [
  { storageId: 'ns-7f3a9c1e2b4d6a80', storageName: 'models', storageSize: 100, clusterId: 'cn-east-1', clusterName: 'China East 1' },
];

export const DEFAULT_AUTHS: EmulatedRegistryAuth[] = [
  { id: 'auth-1f2e3d4c5b6a7980', name: 'ghcr-acme', username: 'acme-bot', password: 'emulator-not-a-secret' },
];

/** Serverless product (GPU type) ids the service knows; anything else is SERVERLESS_PRODUCT_NOT_FOUND. */
export const PRODUCTS: EmulatedProduct[] = [
  { id: '1', name: 'RTX 4090 24GB' },
  { id: '2', name: 'RTX 3090 24GB' },
  { id: '3', name: 'A100 SXM4 80GB' },
  { id: '4', name: 'H100 SXM 80GB' },
  { id: '5', name: 'L40S 48GB' },
  { id: '6', name: 'RTX 6000 Ada 48GB' },
  { id: '7', name: 'A6000 48GB' },
  { id: '8', name: 'H800 SXM 80GB' },
];

/**
 * No real numbers are published. These are the web console's fallbacks, with the worker
 * range starting at 0 (scale to zero is documented) and the sizes fixed as the create docs
 * say ("currently fixed at 100" / "30").
 */
export const LIMITS: EmulatedLimits = {
  minRootfsSize: 100, maxRootfsSize: 100, freeRootfsSize: 100,
  minLocalVolumeSize: 30, maxLocalVolumeSize: 30, freeLocalVolumeSize: 30,
  minWorkerNum: 0, maxWorkerNum: 1000,
  minFreeTimeout: 1, maxFreeTimeout: 1000,
  minConcurrencyNum: 1, maxConcurrencyNum: 1000,
  minQueueWaitTime: 1, maxQueueWaitTime: 1000,
  minRequestNum: 1, maxRequestNum: 1000,
  minGPUNum: 1, maxGPUNum: 8,
  minRequestTimeout: 1, maxRequestTimeout: 1800,
  cudaVersionList: ['11.8', '12.1', '12.2', '12.4', '12.6'],
};
