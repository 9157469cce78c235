/**
 * formatAmount prints amounts without an Intl formatter (its first one costs a run ~16 ms);
 * it must print exactly what Intl.NumberFormat prints with the same options, for every number:
 * the figures a plan computes (rounded to a millionth), ties at the fifth decimal (Intl rounds
 * the shortest decimal form, not the binary value), negative values, and any double.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatAmount } from '../../src/plan/index.js';

const intl = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4, useGrouping: false });
const expectSameAsIntl = (value: number) => expect(`${value} → ${formatAmount(value)}`).toBe(`${value} → ${intl.format(value)}`);

describe('formatAmount prints what Intl.NumberFormat prints', () => {
  it('for the edge cases', () => {
    const cases = [0, -0, 1, 1.5, 0.069, 13.8, 27.6, 0.00015, -0.00015, 2.00025, 1.00005, 9.99995, 99999.99995, 0.99995, -0.99995];
    for (const value of [...cases, -0.00001, 1e-7, -1e-7, 5e-7, 1e21, 1.5e25, Number.MAX_VALUE, Number.MIN_VALUE, Number.NaN, Infinity, -Infinity]) {
      expectSameAsIntl(value);
    }
  });

  it('for amounts a plan computes (millionths) and ties at the fifth decimal', () => {
    const millionths = fc.integer({ min: -1e12, max: 1e12 }).map((n) => Math.round(n) / 1e6);
    const ties = fc.integer({ min: -1e9, max: 1e9 }).map((n) => (n * 10 + 5) / 1e5);
    fc.assert(
      fc.property(fc.oneof(millionths, ties), (value) => expectSameAsIntl(value)),
      { numRuns: 3000 },
    );
  });

  it('for any double', () => {
    fc.assert(
      fc.property(fc.double(), (value) => expectSameAsIntl(value)),
      { numRuns: 3000 },
    );
  });
});
