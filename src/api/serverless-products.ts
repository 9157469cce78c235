/**
 * The serverless product catalogue: `GET /gpus/v2/products?type=gpu&category=serverless`,
 * a v2 path on the same host as the v1 API. Each item carries its price as an integer with a
 * separate `precision` (`final_price: 12600, precision: 3` is 12.6 per hour) and a stock state.
 *
 * The catalogue only informs (cost, stock warnings), so it is read leniently: an item without
 * an id is skipped, and a price whose scale or unit is not stated is left unknown rather than
 * guessed.
 */
import type { Transport } from './http-transport.js';
import { ResponseReader } from './response-reader.js';
import type { ProductStock, ServerlessProduct } from './types.js';

export const SERVERLESS_PRODUCTS_PATH = 'gpus/v2/products';
const OPERATION = 'list serverless products';
/** The list is a few dozen products; a server that keeps answering `has_more` is not followed forever. */
const MAX_PAGES = 20;
const SECONDS_PER_UNIT: Record<string, number> = { per_hour: 1, hour: 1, per_minute: 60, minute: 60, per_second: 3600, second: 3600 };

/** `transport` is rooted at the host (`https://api.ppio.com`), not at the v1 prefix. */
export async function fetchServerlessProducts(transport: Transport): Promise<ServerlessProduct[]> {
  const products = new Map<string, ServerlessProduct>();
  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const searchParams: Record<string, string> = { type: 'gpu', category: 'serverless', ...(cursor ? { cursor } : {}) };
    const body = await transport.send({ method: 'GET', path: SERVERLESS_PRODUCTS_PATH, searchParams, operation: OPERATION, retry: true });
    const parsed = parseServerlessProductPage(body);
    for (const product of parsed.products) if (!products.has(product.id)) products.set(product.id, product);
    if (parsed.nextCursor === undefined || seenCursors.has(parsed.nextCursor)) break;
    seenCursors.add(parsed.nextCursor);
    cursor = parsed.nextCursor;
  }
  return [...products.values()];
}

/** One page: `{data: [...], next_cursor?, has_more?}`. Only a body that is not an object at all is an error. */
export function parseServerlessProductPage(body: unknown): { products: ServerlessProduct[]; nextCursor: string | undefined } {
  const read = new ResponseReader(OPERATION);
  const page = read.object(body, 'response');
  const items = Array.isArray(page['data']) ? page['data'] : [];
  const products = items.map(readProduct).filter((product): product is ServerlessProduct => product !== undefined);
  const next = page['next_cursor'];
  const hasMore = page['has_more'] === true && typeof next === 'string' && next !== '';
  return { products, nextCursor: hasMore ? next : undefined };
}

function readProduct(item: unknown): ServerlessProduct | undefined {
  if (!isRecord(item)) return undefined;
  const id = textOf(item['id']);
  if (id === undefined) return undefined;
  const pricing = isRecord(item['pricing']) ? item['pricing'] : {};
  const currency = textOf(pricing['currency']);
  return {
    id,
    name: textOf(item['name']) ?? id,
    ...priceOf(pricing),
    ...(currency ? { currency } : {}),
    stock: stockOf(item),
  };
}

/** Pay-as-you-go (`postpaid`) price per GPU-hour; unknown without an explicit precision or with an unknown unit. */
function priceOf(pricing: Record<string, unknown>): { pricePerGpuHour?: number } {
  const postpaid = isRecord(pricing['postpaid']) ? pricing['postpaid'] : undefined;
  const precision = numberOf(pricing['precision']);
  const scaled = numberOf(postpaid?.['final_price']) ?? numberOf(postpaid?.['base_price']);
  const unit = textOf(postpaid?.['unit'])?.toLowerCase() ?? 'per_hour';
  const perHour = SECONDS_PER_UNIT[unit];
  if (
    scaled === undefined ||
    scaled < 0 ||
    precision === undefined ||
    !Number.isInteger(precision) ||
    precision < 0 ||
    precision > 12 ||
    perHour === undefined
  ) {
    return {};
  }
  return { pricePerGpuHour: roundPrice((scaled / 10 ** precision) * perHour) };
}

/**
 * `deployable: false` or a sold-out `inventory_state` is sold out; a low one is low. A state
 * this client does not know stays `unknown` (no warning), never a guess either way.
 */
function stockOf(item: Record<string, unknown>): ProductStock {
  if (item['deployable'] === false) return 'sold-out';
  const state = textOf(item['inventory_state'])?.toLowerCase();
  if (state !== undefined) {
    if (/sold|none|out_of|unavailable|empty|exhaust/.test(state)) return 'sold-out';
    if (/low|tight|short|limited|few|scarce/.test(state)) return 'low';
    if (/normal|sufficient|available|adequate|high|plenty/.test(state)) return 'available';
  }
  const gpu = isRecord(item['resource_spec']) && isRecord(item['resource_spec']['gpu']) ? item['resource_spec']['gpu'] : undefined;
  return numberOf(gpu?.['available']) === 0 ? 'sold-out' : 'unknown';
}

/** Prices to a millionth: enough for any real price, and no binary-fraction noise in sums. */
export const roundPrice = (value: number): number => Math.round(value * 1e6) / 1e6;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}
