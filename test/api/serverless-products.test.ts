import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPpioClient } from '../../src/api/index.js';
import { parseServerlessProductPage } from '../../src/api/serverless-products.js';
import { startEmulator, type EmulatorHandle } from '../../src/emulator/index.js';

const item = (overrides: Record<string, unknown> = {}) => ({
  id: 'p1',
  name: 'RTX 4090 24GB',
  pricing: { precision: 3, postpaid: { base_price: 900, final_price: 690, unit: 'per_hour' } },
  inventory_state: 'normal',
  deployable: true,
  ...overrides,
});
const parse = (data: unknown[]) => parseServerlessProductPage({ data }).products;

describe('parseServerlessProductPage: prices as integer × 10^-precision', () => {
  it.each([
    ['final price at precision 3', item(), 0.69],
    ['precision 5 (1/100000 units)', item({ pricing: { precision: 5, postpaid: { final_price: 289000 } } }), 2.89],
    ['a per-second price', item({ pricing: { precision: 6, postpaid: { final_price: 200, unit: 'per_second' } } }), 0.72],
    ['numbers as strings', item({ pricing: { precision: '2', postpaid: { final_price: '125' } } }), 1.25],
    ['base price when there is no final price', item({ pricing: { precision: 3, postpaid: { base_price: 900 } } }), 0.9],
  ])('%s', (_case, product, price) => {
    expect(parse([product])[0]!.pricePerGpuHour).toBe(price);
  });

  it.each([
    ['no precision: the scale would be a guess', item({ pricing: { postpaid: { final_price: 690 } } })],
    ['an unknown unit', item({ pricing: { precision: 3, postpaid: { final_price: 690, unit: 'per_month' } } })],
    ['no pay-as-you-go price', item({ pricing: { precision: 3, spot: { final_price: 100 } } })],
    ['no pricing at all', item({ pricing: undefined })],
  ])('leaves the price unknown with %s', (_case, product) => {
    expect(parse([product])[0]).not.toHaveProperty('pricePerGpuHour');
  });

  it.each([
    [{ inventory_state: 'normal' }, 'available'],
    [{ inventory_state: 'LOW' }, 'low'],
    [{ inventory_state: 'sold_out' }, 'sold-out'],
    [{ inventory_state: 'normal', deployable: false }, 'sold-out'],
    [{ inventory_state: undefined, resource_spec: { gpu: { available: 0 } } }, 'sold-out'],
    [{ inventory_state: 'something-new' }, 'unknown'],
  ])('stock %j is %s', (overrides, stock) => {
    expect(parse([item(overrides)])[0]!.stock).toBe(stock);
  });

  it('skips items it cannot identify instead of failing the plan', () => {
    expect(parse([null, 'x', { name: 'no id' }, item()]).map((p) => p.id)).toEqual(['p1']);
  });

  it('follows a cursor only while has_more says so', () => {
    expect(parseServerlessProductPage({ data: [], next_cursor: 'c2', has_more: true }).nextCursor).toBe('c2');
    expect(parseServerlessProductPage({ data: [], next_cursor: 'c2', has_more: false }).nextCursor).toBeUndefined();
  });
});

describe('listServerlessProducts against the emulator', () => {
  let emulator: EmulatorHandle;
  let bare: EmulatorHandle;
  beforeAll(async () => {
    [emulator, bare] = await Promise.all([startEmulator({ readyAfterMs: 0 }), startEmulator({ readyAfterMs: 0, serveProductList: false })]);
  });
  afterAll(async () => {
    await Promise.all([emulator.stop(), bare.stop()]);
  });

  it('reads every product with its price, from the v2 path beside the v1 prefix', async () => {
    const products = await createPpioClient({ baseUrl: emulator.url, apiKey: 'k' }).listServerlessProducts();
    expect(products.find((product) => product.id === '1')).toEqual({ id: '1', name: 'RTX 4090 24GB', pricePerGpuHour: 0.69, stock: 'available' });
    expect(products.every((product) => typeof product.pricePerGpuHour === 'number')).toBe(true);
    expect(emulator.requestLog.at(-1)?.path).toBe('/gpus/v2/products?type=gpu&category=serverless');
  });

  it('throws an ApiError where the base URL does not serve it (the caller decides it is only a notice)', async () => {
    await expect(createPpioClient({ baseUrl: bare.url, apiKey: 'k' }).listServerlessProducts()).rejects.toMatchObject({
      name: 'ApiError',
      status: 404,
    });
  });
});
