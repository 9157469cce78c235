// What an account tells about itself: the ranges it allows, its storages, registry auths and products.

/**
 * GET /endpoint/limit, numbers parsed. A range the API does not report is undefined: no guess
 * stands in for it (the console's fallbacks reject values real users run).
 */
export interface EndpointLimits {
  minRootfsSize?: number;
  maxRootfsSize?: number;
  minLocalVolumeSize?: number;
  maxLocalVolumeSize?: number;
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
  cudaVersionList: string[];
}

export interface Cluster {
  id: string;
  name: string;
  availableGpuType: string[];
  supportNetworkStorage: boolean;
}
export interface NetworkStorage {
  storageId: string;
  storageName: string;
  storageSize: number;
  clusterId: string;
  clusterName: string;
}
export interface RegistryAuth {
  id: string;
  name: string;
}

/** How much of a serverless product is left, as the catalogue says. */
export type ProductStock = 'available' | 'low' | 'sold-out' | 'unknown';

/** One GPU type of the serverless catalogue (`GET /gpus/v2/products`), prices normalised. */
export interface ServerlessProduct {
  id: string;
  name: string;
  /** Pay-as-you-go price of one GPU for one hour; absent when the catalogue does not state it readably. */
  pricePerGpuHour?: number;
  /** As the catalogue names it, when it does. */
  currency?: string;
  stock: ProductStock;
}

/** The catalogue as read, or why it could not be (the base URL or account does not serve it). */
export type ProductCatalogue = { products: ServerlessProduct[] } | { unavailable: string };
