/**
 * What only the account knows: the ranges of GET /endpoint/limit, the network storages, the
 * registry auths and the serverless product catalogue. Pure: the caller fetches the facts and
 * passes them in.
 */
import type { EndpointLimits, NetworkStorage, ProductCatalogue, RegistryAuth, ServerlessProduct } from './account-facts.js';
import { diagnosticAt, type Diagnostic } from '../common/diagnostic.js';
import { joinPointer } from '../common/json-pointer.js';
import { isTemplated } from '../common/template.js';
import type { ValidSpec } from '../spec/types.js';

export interface AccountFacts {
  limits: EndpointLimits;
  storages: NetworkStorage[];
  auths: RegistryAuth[];
  /** Absent: not fetched, nothing checked. */
  catalogue?: ProductCatalogue;
}

/** A numeric field of a spec and the pair of limits that bound it (the ranges GET /endpoint/limit answers). */
interface LimitCheck {
  pointer: string;
  field: string;
  value: number | undefined;
  range: RangeName;
}

type RangeName =
  | 'WorkerNum'
  | 'FreeTimeout'
  | 'ConcurrencyNum'
  | 'GPUNum'
  | 'RequestTimeout'
  | 'QueueWaitTime'
  | 'RequestNum'
  | 'RootfsSize'
  | 'LocalVolumeSize';

export function checkAccountRules(specs: readonly ValidSpec[], facts: AccountFacts): Diagnostic[] {
  const storages = new Map(facts.storages.map((storage) => [storage.storageId, storage]));
  const authIds = new Set(facts.auths.map((auth) => auth.id));
  return specs
    .flatMap((valid) => [
      ...limitChecks(valid).flatMap((check) => checkLimit(valid, check, facts.limits)),
      ...checkNetworkStorages(valid, storages),
      ...checkRegistryAuth(valid, authIds),
    ])
    .concat(checkProducts(specs, facts.catalogue));
}

function limitChecks({ spec }: ValidSpec): LimitCheck[] {
  const workers = spec.workerConfig;
  const checks: LimitCheck[] = [
    { pointer: '/workerConfig/minNum', field: 'minNum', value: workers.minNum, range: 'WorkerNum' },
    { pointer: '/workerConfig/maxNum', field: 'maxNum', value: workers.maxNum, range: 'WorkerNum' },
    { pointer: '/workerConfig/freeTimeout', field: 'freeTimeout', value: workers.freeTimeout, range: 'FreeTimeout' },
    { pointer: '/workerConfig/maxConcurrent', field: 'maxConcurrent', value: workers.maxConcurrent, range: 'ConcurrencyNum' },
    { pointer: '/workerConfig/gpuNum', field: 'gpuNum', value: workers.gpuNum, range: 'GPUNum' },
    { pointer: '/workerConfig/requestTimeout', field: 'requestTimeout', value: workers.requestTimeout, range: 'RequestTimeout' },
    {
      pointer: '/policy/value',
      field: 'policy value',
      value: spec.policy.value,
      range: spec.policy.type === 'queue' ? 'QueueWaitTime' : 'RequestNum',
    },
    { pointer: '/rootfsSize', field: 'rootfsSize', value: spec.rootfsSize, range: 'RootfsSize' },
  ];
  spec.volumeMounts.forEach((mount, index) => {
    if (mount.type === 'local') {
      checks.push({
        pointer: joinPointer('', 'volumeMounts', index, 'size'),
        field: 'local volume size',
        value: mount.size,
        range: 'LocalVolumeSize',
      });
    }
  });
  return checks;
}

function checkLimit(valid: ValidSpec, check: LimitCheck, limits: EndpointLimits): Diagnostic[] {
  const { value } = check;
  if (value === undefined) return [];
  // Scale to zero is documented and the common case; the web console's fallback minimum of 1
  // worker must not turn `minNum: 0` into an error.
  if (check.field === 'minNum' && value === 0) return [];
  const minKey = `min${check.range}` as const;
  const maxKey = `max${check.range}` as const;
  const min = limits[minKey];
  const max = limits[maxKey];
  if (min !== undefined && Number.isFinite(min) && value < min) {
    return [limitDiagnostic(valid, check, `is below the account limit ${min}`, minKey)];
  }
  if (max !== undefined && Number.isFinite(max) && value > max) {
    return [limitDiagnostic(valid, check, `is above the account limit ${max}`, maxKey)];
  }
  // No guessed range stands in for one the account does not report: the value is not checked.
  if (min === undefined || max === undefined) {
    const missing = [min === undefined ? minKey : undefined, max === undefined ? maxKey : undefined].filter(Boolean).join(' and ');
    const message = `${check.field} ${value} is not checked against the account: GET /endpoint/limit does not report ${missing}`;
    return [diagnosticAt(valid.document, check.pointer, 'account-limit-unknown', message, { severity: 'warning' })];
  }
  return [];
}

function limitDiagnostic(valid: ValidSpec, check: LimitCheck, comparison: string, limitKey: string): Diagnostic {
  const message = `${check.field} ${check.value} ${comparison} (GET /endpoint/limit: ${limitKey})`;
  return diagnosticAt(valid.document, check.pointer, 'account-limit', message);
}

function checkNetworkStorages({ spec, document }: ValidSpec, storages: Map<string, NetworkStorage>): Diagnostic[] {
  const found: Diagnostic[] = [];
  spec.volumeMounts.forEach((mount, index) => {
    if (mount.type !== 'network' || mount.id === undefined || isTemplated(mount.id)) return;
    const storage = storages.get(mount.id);
    if (storage === undefined) {
      const message = `network storage \`${mount.id}\` does not exist in this account (GET /networkstorages/list)`;
      found.push(diagnosticAt(document, joinPointer('', 'volumeMounts', index, 'id'), 'unknown-network-storage', message));
    } else if (spec.clusterID !== undefined && !isTemplated(spec.clusterID) && storage.clusterId !== spec.clusterID) {
      const cluster = storage.clusterName ? `\`${storage.clusterId}\` (${storage.clusterName})` : `\`${storage.clusterId}\``;
      const message = `network storage \`${mount.id}\` is in cluster ${cluster}, but clusterID is \`${spec.clusterID}\``;
      found.push(diagnosticAt(document, '/clusterID', 'storage-cluster-mismatch', message));
    }
  });
  return found;
}

function checkRegistryAuth({ spec, document }: ValidSpec, authIds: Set<string>): Diagnostic[] {
  const authId = spec.image.authId;
  // A value filled from the environment at plan time cannot be checked here.
  if (authId === undefined || authId === '' || isTemplated(authId) || authIds.has(authId)) return [];
  const message = `registry auth \`${authId}\` does not exist in this account (GET /repository/auths)`;
  return [diagnosticAt(document, '/image/authId', 'unknown-registry-auth', message)];
}

/** How many catalogue entries an unknown-product message lists. */
const LISTED_PRODUCTS = 8;

/**
 * Every product a spec names must be in the catalogue (an error); a sold-out or low one is a
 * warning. A catalogue that could not be read is one warning, and nothing is checked against
 * a guess.
 */
function checkProducts(specs: readonly ValidSpec[], catalogue: ProductCatalogue | undefined): Diagnostic[] {
  if (catalogue === undefined || specs.length === 0) return [];
  if ('unavailable' in catalogue) {
    const first = specs[0]!;
    const message = `products, prices and stock not checked: ${catalogue.unavailable}`;
    return [diagnosticAt(first.document, '/products', 'catalogue-unavailable', message, { severity: 'warning' })];
  }
  const byId = new Map(catalogue.products.map((product) => [product.id, product]));
  return specs.flatMap(({ spec, document }) =>
    spec.products.flatMap((product, index) => {
      if (isTemplated(product.id)) return [];
      const pointer = joinPointer('', 'products', index, 'id');
      const found = byId.get(product.id);
      if (found === undefined) {
        return [
          diagnosticAt(
            document,
            pointer,
            'unknown-product',
            `product \`${product.id}\` is not in this account's serverless catalogue (GET /gpus/v2/products); it has ${describeProducts(catalogue.products)}`,
          ),
        ];
      }
      if (found.stock === 'sold-out') {
        return [
          diagnosticAt(document, pointer, 'product-sold-out', `product \`${found.id}\` (${found.name}) is sold out: new workers may not start`, {
            severity: 'warning',
          }),
        ];
      }
      if (found.stock === 'low') {
        return [
          diagnosticAt(document, pointer, 'product-low-stock', `product \`${found.id}\` (${found.name}) is low in stock: scaling up may stall`, {
            severity: 'warning',
          }),
        ];
      }
      return [];
    }),
  );
}

function describeProducts(products: readonly ServerlessProduct[]): string {
  const listed = products
    .slice(0, LISTED_PRODUCTS)
    .map((product) => (product.name === product.id ? `\`${product.id}\`` : `\`${product.id}\` (${product.name})`));
  const more = products.length > LISTED_PRODUCTS ? `, and ${products.length - LISTED_PRODUCTS} more` : '';
  return `${listed.join(', ')}${more}`;
}
