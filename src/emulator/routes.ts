import { endpointNotFound, invalidParam } from './api-fault.js';
import { readAppName, readEndpointDraft } from './endpoint-body.js';
import type { EndpointDraft } from './endpoint-body.js';
import { checkDraftAgainstAccount } from './endpoint-rules.js';
import type { AccountCatalog } from './endpoint-rules.js';
import type { EndpointStore, StoredConfig, StoredEndpoint } from './endpoint-store.js';
import { FieldReader } from './field-reader.js';
import { renderLiveEndpoint } from './live-endpoint.js';
import type { FaultSettings } from './options.js';

/** What the operations work on. */
export interface Service {
  store: EndpointStore;
  account: AccountCatalog;
  settings: FaultSettings;
  pageSizeMax: number;
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
  ['/repository/auths', { method: 'GET', handle: (_request, service) => ({ data: service.account.auths }) }],
]);

function createEndpoint(request: ApiRequest, service: Service): { id: string } {
  const fields = FieldReader.from(request.body, '').requiredObject('endpoint');
  const appName = readAppName(fields);
  const draft = readEndpointDraft(fields, 'create');
  checkDraftAgainstAccount(draft, service.account, 'endpoint.');
  const config: StoredConfig = { ...draft, products: draft.products ?? [], rootfsSize: draft.rootfsSize ?? 0 };
  const endpoint = service.store.create(config, appName, service.settings.readyAfterMs);
  service.changed();
  return { id: endpoint.id };
}

function getEndpoint(request: ApiRequest, service: Service): { endpoint: Record<string, unknown> } {
  const id = request.query.get('id') ?? '';
  if (id === '') throw invalidParam('id is required');
  const endpoint = service.store.findVisible(id);
  if (endpoint === undefined) throw endpointNotFound(id);
  return { endpoint: renderLiveEndpoint(endpoint, service.now(), 'number') };
}

/** pageNum 0 and 1 both mean the first page (clients disagree on the base); pageSize is capped. */
function listEndpoints(request: ApiRequest, service: Service): { endpoints: Record<string, unknown>[]; total: number } {
  const pageSize = readQueryInteger(request.query, 'pageSize');
  if (pageSize === undefined || pageSize === 0) throw invalidParam('pageSize is required and must be at least 1');
  const pageNum = Math.max(1, readQueryInteger(request.query, 'pageNum') ?? 1);
  const size = Math.min(pageSize, service.pageSizeMax);
  const all = service.store.visible();
  const now = service.now();
  const page = all.slice((pageNum - 1) * size, pageNum * size);
  return { endpoints: page.map((endpoint) => renderLiveEndpoint(endpoint, now, 'string')), total: all.length };
}

/**
 * A full replace: fields missing from the body are cleared (envs, volumes, the health
 * check, name, command, …), as the docs warn. `appName` is immutable and `products` and
 * `rootfsSize` cannot change here: leaving them out keeps them, a different value is refused
 * so a client learns it must delete and create instead.
 */
function updateEndpoint(request: ApiRequest, service: Service): Record<string, never> {
  const fields = FieldReader.from(request.body, '');
  const id = fields.requiredString('id', 64);
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
  service.store.replaceConfig(endpoint, config, service.settings.readyAfterMs);
  service.changed();
  return {};
}

/** The docs send the id as `name`, working clients as `id`; either is taken. */
function deleteEndpoint(request: ApiRequest, service: Service): Record<string, never> {
  const fields = FieldReader.from(request.body, '');
  const id = fields.optionalString('id', 64) || fields.optionalString('name', 64);
  if (id === '') throw invalidParam('id is required');
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
