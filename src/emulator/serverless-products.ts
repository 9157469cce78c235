/**
 * `GET /gpus/v2/products?type=gpu&category=serverless`: the v2 serverless product list, in
 * the shape PPIO documents. Prices are integers with a separate `precision`; paging is by
 * `limit` and an opaque `cursor`, answered with `next_cursor` and `has_more`.
 */
import { invalidParam } from './api-fault.js';
import type { EmulatedProduct } from './catalog.js';
import type { ApiRequest, Route, Service } from './routes.js';

export const SERVERLESS_PRODUCTS_PATH = '/gpus/v2/products';
/** Prices are sent in 1/100,000 of the currency unit. */
const PRICE_PRECISION = 5;
const MAX_LIMIT = 100;

/** The v2 routes, by full path (they do not live under the v1 prefix). */
export const V2_ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([[SERVERLESS_PRODUCTS_PATH, { method: 'GET', handle: listProducts }]]);

function listProducts(request: ApiRequest, service: Service): { data: unknown[]; next_cursor: string; has_more: boolean } {
  const type = request.query.get('type') ?? '';
  const category = request.query.get('category') ?? '';
  if (type !== 'gpu' && type !== 'cpu') throw invalidParam('type is required: gpu or cpu');
  if (category !== 'serverless' && category !== 'instance') throw invalidParam('category is required: serverless or instance');
  // The emulator rents no instances and no CPU-only products.
  const products = type === 'gpu' && category === 'serverless' ? service.account.products : [];
  const start = readCursor(request.query.get('cursor'));
  const limit = Math.min(readLimit(request.query.get('limit')), MAX_LIMIT);
  const page = products.slice(start, start + limit);
  const hasMore = start + limit < products.length;
  return { data: page.map((product) => renderProduct(product, service)), next_cursor: hasMore ? String(start + limit) : '', has_more: hasMore };
}

function renderProduct(product: EmulatedProduct, service: Service): Record<string, unknown> {
  const state = product.inventoryState ?? 'normal';
  const scaled = Math.round(product.pricePerGpuHour * 10 ** PRICE_PRECISION);
  return {
    id: product.id,
    name: product.name,
    type: 'gpu',
    category: 'serverless',
    description: product.name,
    region_ids: service.account.clusters.filter((cluster) => cluster.availableGpuType.includes(product.name)).map((cluster) => cluster.id),
    resource_spec: { gpu: { name: product.name, min: 1, max: service.account.limits.maxGPUNum ?? 8, available: state === 'sold_out' ? 0 : 8 } },
    pricing: { precision: PRICE_PRECISION, postpaid: { base_price: scaled, final_price: scaled, unit: 'per_hour' } },
    billing_methods: ['postpaid'],
    inventory_state: state,
    deployable: state !== 'sold_out',
  };
}

function readCursor(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  if (!/^[0-9]{1,6}$/.test(raw)) throw invalidParam('cursor is not one this service returned');
  return Number(raw);
}

function readLimit(raw: string | null): number {
  if (raw === null || raw === '') return MAX_LIMIT;
  if (!/^[0-9]{1,6}$/.test(raw) || Number(raw) === 0) throw invalidParam(`limit must be a positive integer (got "${raw}")`);
  return Number(raw);
}
