import { describe, expect, it } from '@jest/globals';
import type { EndpointLimits, ProductCatalogue } from '../../src/api/types.js';
import { checkAccountRules, validateSpecs } from '../../src/schema/index.js';
import { editedSpec, parseDocuments } from './spec-documents.js';

const catalogue = (stock: 'available' | 'low' | 'sold-out' | 'unknown' = 'available'): ProductCatalogue => ({
  products: [
    { id: '1', name: 'RTX 4090 24GB', pricePerGpuHour: 0.69, stock },
    { id: '4', name: 'H100 SXM 80GB', pricePerGpuHour: 2.89, stock: 'available' },
  ],
});

function productDiagnostics(productId: string, products: ProductCatalogue) {
  const { valid } = validateSpecs(parseDocuments(editedSpec([['id: "1"', `id: "${productId}"`]])));
  // No limits are reported here: only the catalogue's rules are under test.
  return checkAccountRules(valid, { limits: {} as EndpointLimits, storages: [], auths: [], catalogue: products })
    .filter((d) => d.rule !== 'account-limit-unknown')
    .map(({ severity, rule, line, column, path, message }) => ({ severity, rule, line, column, path, message }));
}

describe('checkAccountRules: the serverless product catalogue', () => {
  it('a product of the catalogue in stock passes; an unknown stock state says nothing', () => {
    expect(productDiagnostics('1', catalogue())).toEqual([]);
    expect(productDiagnostics('1', catalogue('unknown'))).toEqual([]);
  });

  it('a product the catalogue lacks is an error at its line, listing what the account has', () => {
    expect(productDiagnostics('SL-serverless-3', catalogue())).toEqual([
      {
        severity: 'error',
        rule: 'unknown-product',
        line: 20,
        column: 9,
        path: '/products/0/id',
        message:
          "product `SL-serverless-3` is not in this account's serverless catalogue (GET /gpus/v2/products); it has `1` (RTX 4090 24GB), `4` (H100 SXM 80GB)",
      },
    ]);
  });

  it('sold out and low stock are warnings', () => {
    expect(productDiagnostics('1', catalogue('sold-out'))).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'product-sold-out',
        line: 20,
        message: 'product `1` (RTX 4090 24GB) is sold out: new workers may not start',
      }),
    ]);
    expect(productDiagnostics('1', catalogue('low'))).toEqual([expect.objectContaining({ severity: 'warning', rule: 'product-low-stock' })]);
  });

  it('a catalogue that could not be read is one warning, and nothing is checked against a guess', () => {
    expect(productDiagnostics('anything', { unavailable: 'HTTP 404' })).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'catalogue-unavailable',
        path: '/products',
        message: 'products, prices and stock not checked: HTTP 404',
      }),
    ]);
  });
});
