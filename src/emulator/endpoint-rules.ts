import { ApiFault, invalidParam } from './api-fault.js';
import type { EmulatedLimits, EmulatedProduct, EmulatedRegistryAuth, EmulatorCatalog } from './catalog.js';
import type { EndpointDraft } from './endpoint-body.js';

/** What the account holds that a create or update refers to. */
export type AccountCatalog = EmulatorCatalog;

/**
 * The checks that need the account: the `/endpoint/limit` ranges, and that every product,
 * network storage, cluster and registry auth the draft names exists. `path` prefixes field
 * names in messages (`endpoint.` for a create body, nothing for an update).
 */
export function checkDraftAgainstAccount(draft: EndpointDraft, account: AccountCatalog, path: string): void {
  checkLimits(draft, account.limits, path);
  checkProducts(draft, account.products);
  checkNetworkMounts(draft, account, path);
  checkAuth(draft, account.auths, path);
}

function checkLimits(draft: EndpointDraft, limits: EmulatedLimits, path: string): void {
  const worker = draft.workerConfig;
  // A range the catalogue does not report is not enforced.
  const inRange = (value: number, min: number | undefined, max: number | undefined, field: string) => {
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      throw invalidParam(`${path}${field} ${value} is out of range ${min ?? ''}-${max ?? ''}`);
    }
  };
  inRange(worker.minNum, limits.minWorkerNum, limits.maxWorkerNum, 'workerConfig.minNum');
  inRange(worker.maxNum, limits.minWorkerNum, limits.maxWorkerNum, 'workerConfig.maxNum');
  inRange(worker.freeTimeout, limits.minFreeTimeout, limits.maxFreeTimeout, 'workerConfig.freeTimeout');
  inRange(worker.maxConcurrent, limits.minConcurrencyNum, limits.maxConcurrencyNum, 'workerConfig.maxConcurrent');
  inRange(worker.gpuNum, limits.minGPUNum, limits.maxGPUNum, 'workerConfig.gpuNum');
  if (worker.requestTimeout !== undefined) {
    inRange(worker.requestTimeout, limits.minRequestTimeout, limits.maxRequestTimeout, 'workerConfig.requestTimeout');
  }
  if (draft.policy.type === 'queue') {
    inRange(draft.policy.value, limits.minQueueWaitTime, limits.maxQueueWaitTime, 'policy.value');
  } else {
    inRange(draft.policy.value, limits.minRequestNum, limits.maxRequestNum, 'policy.value');
  }
  if (draft.rootfsSize !== undefined) inRange(draft.rootfsSize, limits.minRootfsSize, limits.maxRootfsSize, 'rootfsSize');
  draft.volumeMounts.forEach((mount, index) => {
    if (mount.type === 'local') {
      inRange(mount.size, limits.minLocalVolumeSize, limits.maxLocalVolumeSize, `volumeMounts[${index}].size`);
    }
  });
}

function checkProducts(draft: EndpointDraft, products: EmulatedProduct[]): void {
  for (const product of draft.products ?? []) {
    if (!products.some((known) => known.id === product.id)) {
      throw new ApiFault(400, 'SERVERLESS_PRODUCT_NOT_FOUND', `serverless product ${product.id} not found`);
    }
  }
}

function checkNetworkMounts(draft: EndpointDraft, account: AccountCatalog, path: string): void {
  if (draft.clusterID !== '' && !account.clusters.some((cluster) => cluster.id === draft.clusterID)) {
    throw invalidParam(`${path}clusterID: cluster ${draft.clusterID} not found`);
  }
  for (const mount of draft.volumeMounts) {
    if (mount.type !== 'network') continue;
    const storage = account.storages.find((candidate) => candidate.storageId === mount.id);
    if (storage === undefined) {
      throw new ApiFault(400, 'NETWORK_STORAGE_NOT_FOUND', `network storage ${mount.id} not found`);
    }
    if (storage.clusterId !== draft.clusterID) {
      throw invalidParam(`${path}clusterID ${draft.clusterID} does not match network storage ${mount.id}, which is in cluster ${storage.clusterId}`);
    }
  }
}

function checkAuth(draft: EndpointDraft, auths: EmulatedRegistryAuth[], path: string): void {
  const authId = draft.image.authId;
  if (authId !== '' && !auths.some((auth) => auth.id === authId)) {
    throw invalidParam(`${path}image.authId: registry auth ${authId} not found`);
  }
}
