import { ApiFault, endpointNotFound, invalidParam } from './api-fault.js';
import type { EmulatedStorage } from './catalog.js';
import { readAppName, readEndpointDraft } from './endpoint-body.js';
import type { EndpointDraft } from './endpoint-body.js';
import { checkDraftAgainstAccount } from './endpoint-rules.js';
import type { AccountCatalog } from './endpoint-rules.js';
import type { EndpointStore, StoredConfig, StoredEndpoint } from './endpoint-store.js';
import { FieldReader } from './field-reader.js';
import { renderLiveEndpoint } from './live-endpoint.js';
import type { FaultSettings } from './options.js';

/** Filled in when a create or update leaves `workerConfig.requestTimeout` out (the real default is not published). */
export const DEFAULT_REQUEST_TIMEOUT = 300;

/** What the operations work on. */
export interface Service {
  store: EndpointStore;
  /** Endpoints made by other tools, served as they are (see odd-endpoints.ts), by id. */
  foreign: Map<string, Record<string, unknown>>;
  /** Draws a fresh id (storages, registry auths). */
  drawId(): string;
  account: AccountCatalog;
  settings: FaultSettings;
  pageSizeMax: number;
  /** Whether `GET /gpus/v2/products` exists (false: 404, as on a base URL without the v2 API). */
  serveProductList: boolean;
  now(): number;
  /** Called after every change, to persist it. */
  changed(): void;
}

export interface ApiRequest {
  query: URLSearchParams;
  /** The parsed JSON body of a POST (`{}` when empty); undefined for a GET. */
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST';
  handle(request: ApiRequest, service: Service): unknown;
  /** `--drop-rate` applies: the change is committed, then the connection is cut. */
  droppable?: boolean;
}

/** The v1 operations, by path below /gpu-instance/openapi/v1. */
export const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/endpoint/create', { method: 'POST', handle: createEndpoint, droppable: true }],
  ['/endpoint', { method: 'GET', handle: getEndpoint }],
  ['/endpoints', { method: 'GET', handle: listEndpoints }],
  ['/endpoint/update', { method: 'POST', handle: updateEndpoint }],
  ['/endpoint/delete', { method: 'POST', handle: deleteEndpoint }],
  ['/endpoint/limit', { method: 'GET', handle: (_request, service) => ({ ...service.account.limits }) }],
  ['/clusters', { method: 'GET', handle: (_request, service) => ({ data: service.account.clusters }) }],
  ['/networkstorages/list', { method: 'GET', handle: listNetworkStorages }],
  // The official CLI lists storages here; the docs say /networkstorages/list. Both answer.
  ['/networkstorages', { method: 'GET', handle: listNetworkStorages }],
  ['/networkstorage/create', { method: 'POST', handle: createNetworkStorage }],
  ['/networkstorage/delete', { method: 'POST', handle: deleteNetworkStorage }],
  ['/repository/auths', { method: 'GET', handle: (_request, service) => ({ data: service.account.auths }) }],
  ['/repository/auth/save', { method: 'POST', handle: saveRegistryAuth }],
  ['/repository/auth/delete', { method: 'POST', handle: deleteRegistryAuth }],
]);

function createEndpoint(request: ApiRequest, service: Service): { id: string } {
  const fields = FieldReader.from(request.body, '').requiredObject('endpoint');
  const appName = readAppName(fields);
  const draft = readEndpointDraft(fields, 'create');
  checkDraftAgainstAccount(draft, service.account, 'endpoint.');
  const config = fillPlatformDefaults({ ...draft, products: draft.products ?? [], rootfsSize: draft.rootfsSize ?? 0 }, service);
  const endpoint = service.store.create(config, appName, service.settings.readyAfterMs);
  service.changed();
  return { id: endpoint.id };
}

function getEndpoint(request: ApiRequest, service: Service): { endpoint: Record<string, unknown> } {
  const id = request.query.get('id') ?? '';
  if (id === '') throw invalidParam('id is required');
  const foreign = service.foreign.get(id);
  if (foreign !== undefined) return { endpoint: foreign };
  const endpoint = service.store.findVisible(id);
  if (endpoint === undefined) throw endpointNotFound(id);
  return { endpoint: renderLiveEndpoint(endpoint, service.now(), 'number') };
}

/**
 * pageNum 0 and 1 both mean the first page (clients disagree on the base); pageSize is capped.
 * Without a query (three public clients list that way) every endpoint is answered at once.
 */
function listEndpoints(request: ApiRequest, service: Service): { endpoints: Record<string, unknown>[]; total: number } {
  const pageSize = readQueryInteger(request.query, 'pageSize');
  const pageNum = readQueryInteger(request.query, 'pageNum');
  if (pageSize === 0) throw invalidParam('pageSize must be at least 1');
  const foreign = [...service.foreign.values()];
  const stored = service.store.visible();
  const total = foreign.length + stored.length;
  const now = service.now();
  // Foreign endpoints first (made earlier, by other tools), then ours; only the page is rendered.
  const slice = (from: number, to: number) => [
    ...foreign.slice(from, to),
    ...stored
      .slice(Math.max(0, from - foreign.length), Math.max(0, to - foreign.length))
      .map((endpoint) => renderLiveEndpoint(endpoint, now, 'string')),
  ];
  if (pageSize === undefined && pageNum === undefined) return { endpoints: slice(0, total), total };
  const size = Math.min(pageSize ?? service.pageSizeMax, service.pageSizeMax);
  const first = (Math.max(1, pageNum ?? 1) - 1) * size;
  return { endpoints: slice(first, first + size), total };
}

/**
 * A full replace: fields missing from the body are cleared (envs, volumes, the health
 * check, name, command, …), as the docs warn. `appName` is immutable and `products` and
 * `rootfsSize` cannot change here: leaving them out keeps them, a different value is refused
 * so a client learns it must delete and create instead.
 */
function updateEndpoint(request: ApiRequest, service: Service): Record<string, never> {
  const fields = FieldReader.from(request.body, '', { numericStrings: true });
  const id = fields.requiredString('id', 64);
  if (service.foreign.has(id)) throw invalidParam(`endpoint ${id} was not made with the v1 API and cannot be updated with it`);
  const endpoint = service.store.findActive(id);
  if (endpoint === undefined) throw endpointNotFound(id);
  checkAppNameUnchanged(fields, endpoint);
  const draft = readEndpointDraft(fields, 'update');
  checkDraftAgainstAccount(draft, service.account, '');
  checkFixedFieldsUnchanged(draft, endpoint.config);
  const config: StoredConfig = {
    ...draft,
    products: draft.products ?? endpoint.config.products,
    rootfsSize: draft.rootfsSize ?? endpoint.config.rootfsSize,
  };
  // A full replace: a requestTimeout left out is the default again, a clusterID left out is cleared.
  config.workerConfig.requestTimeout ??= DEFAULT_REQUEST_TIMEOUT;
  service.store.replaceConfig(endpoint, config, service.settings.readyAfterMs);
  service.changed();
  return {};
}

/** The docs send the id as `name`, working clients as `id`; either is taken. */
function deleteEndpoint(request: ApiRequest, service: Service): Record<string, never> {
  const fields = FieldReader.from(request.body, '');
  const id = fields.optionalString('id', 64) || fields.optionalString('name', 64);
  if (id === '') throw invalidParam('id is required');
  if (service.foreign.delete(id)) return {};
  const endpoint = service.store.findVisible(id);
  if (endpoint === undefined) throw endpointNotFound(id);
  if (endpoint.goneAt === undefined) {
    service.store.markDeleted(endpoint, service.settings.deleteDelayMs);
    service.changed();
  }
  return {};
}

function listNetworkStorages(request: ApiRequest, service: Service): { data: unknown[]; total: number } {
  const name = request.query.get('storageName') ?? '';
  const id = request.query.get('storageId') ?? '';
  const matching = service.account.storages.filter(
    (storage) => (name === '' || storage.storageName.includes(name)) && (id === '' || storage.storageId === id),
  );
  const pageSize = readQueryInteger(request.query, 'pageSize') || matching.length;
  const pageNo = Math.max(1, readQueryInteger(request.query, 'pageNo') ?? 1);
  return { data: matching.slice((pageNo - 1) * pageSize, pageNo * pageSize), total: matching.length };
}

/**
 * What the platform fills in on create: a requestTimeout when none is given, and the cluster
 * the endpoint is placed in (the first whose GPU types include the product's).
 */
function fillPlatformDefaults(config: StoredConfig, service: Service): StoredConfig {
  config.workerConfig.requestTimeout ??= DEFAULT_REQUEST_TIMEOUT;
  if (config.clusterID === '') {
    const gpuNames = new Set(config.products.map((product) => service.account.products.find((known) => known.id === product.id)?.name));
    const cluster = service.account.clusters.find((candidate) => candidate.availableGpuType.some((gpu) => gpuNames.has(gpu)));
    config.clusterID = cluster?.id ?? '';
  }
  return config;
}

/** Documented body `{clusterId, storageName, storageSize}`; answers the new id (as `id`, which the official CLI prints, and `storageId`). */
function createNetworkStorage(request: ApiRequest, service: Service): { id: string; storageId: string } {
  const fields = FieldReader.from(request.body, '', { numericStrings: true });
  const clusterId = fields.requiredString('clusterId', 255);
  const storageName = fields.requiredString('storageName', 255);
  const storageSize = fields.requiredInteger('storageSize');
  if (storageSize < 1) throw invalidParam(`storageSize ${storageSize} must be at least 1`);
  const cluster = service.account.clusters.find((candidate) => candidate.id === clusterId);
  if (cluster === undefined) throw invalidParam(`clusterId: cluster ${clusterId} not found`);
  if (!cluster.supportNetworkStorage) throw invalidParam(`cluster ${clusterId} does not support network storage`);
  const storage: EmulatedStorage = { storageId: `ns-${service.drawId()}`, storageName, storageSize, clusterId, clusterName: cluster.name };
  service.account.storages.push(storage);
  return { id: storage.storageId, storageId: storage.storageId };
}

/** The docs send `storageId`, the official CLI `id`: either is taken. A storage an endpoint mounts is refused. */
function deleteNetworkStorage(request: ApiRequest, service: Service): Record<string, never> {
  const fields = FieldReader.from(request.body, '');
  const id = fields.optionalString('storageId', 255) || fields.optionalString('id', 255);
  if (id === '') throw invalidParam('storageId is required');
  const index = service.account.storages.findIndex((storage) => storage.storageId === id);
  if (index < 0) throw new ApiFault(400, 'NETWORK_STORAGE_NOT_FOUND', `network storage ${id} not found`);
  const mounted = service.store
    .visible()
    .some((endpoint) => endpoint.config.volumeMounts.some((mount) => mount.type === 'network' && mount.id === id));
  if (mounted) throw new ApiFault(400, 'CONFLICT', `network storage ${id} is mounted by an endpoint`);
  service.account.storages.splice(index, 1);
  return {};
}

/** Documented body `{name, username, password}`. */
function saveRegistryAuth(request: ApiRequest, service: Service): { id: string } {
  const fields = FieldReader.from(request.body, '');
  const auth = {
    id: `auth-${service.drawId()}`,
    name: fields.requiredString('name', 255),
    username: fields.requiredString('username', 255),
    password: fields.requiredString('password', 4096),
  };
  service.account.auths.push(auth);
  return { id: auth.id };
}

/** A registry auth an endpoint pulls with is refused (IMAGE_AUTH_IN_USE). */
function deleteRegistryAuth(request: ApiRequest, service: Service): Record<string, never> {
  const id = FieldReader.from(request.body, '').requiredString('id', 255);
  const index = service.account.auths.findIndex((auth) => auth.id === id);
  if (index < 0) throw new ApiFault(400, 'RESOURCE_NOT_FOUND', `registry auth ${id} not found`);
  if (service.store.visible().some((endpoint) => endpoint.config.image.authId === id)) {
    throw new ApiFault(400, 'IMAGE_AUTH_IN_USE', `registry auth ${id} is used by an endpoint`);
  }
  service.account.auths.splice(index, 1);
  return {};
}

function checkAppNameUnchanged(fields: FieldReader, endpoint: StoredEndpoint): void {
  const appName = fields.optionalString('appName', 255);
  if (appName !== '' && appName !== endpoint.appName) {
    throw invalidParam(`appName cannot be changed (it is "${endpoint.appName}"); delete and create the endpoint instead`);
  }
}

function checkFixedFieldsUnchanged(draft: EndpointDraft, current: StoredConfig): void {
  const productIds = (products: { id: string }[]) => products.map((product) => product.id).join(',');
  if (draft.products !== undefined && productIds(draft.products) !== productIds(current.products)) {
    throw invalidParam('products cannot be changed by an update; delete and create the endpoint instead');
  }
  if (draft.rootfsSize !== undefined && draft.rootfsSize !== current.rootfsSize) {
    throw invalidParam('rootfsSize cannot be changed by an update; delete and create the endpoint instead');
  }
}

function readQueryInteger(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === '') return undefined;
  if (!/^[0-9]{1,9}$/.test(raw)) throw invalidParam(`${key} must be a non-negative integer (got "${raw}")`);
  return Number(raw);
}
