import { describe, expect, it } from '@jest/globals';
import type { ServerlessProduct } from '../../src/api/types.js';
import { addCosts, assemblePlan, budgetExcess, withUnknownCost, type Plan } from '../../src/plan/index.js';
import type { EndpointConfig } from '../../src/schema/endpoint-config.js';
import { desiredEndpoint, endpointConfig, liveEndpoint, lockEntry, lockfileOf } from './fixtures.js';

const CATALOGUE: ServerlessProduct[] = [
  { id: '1', name: 'RTX 4090 24GB', pricePerGpuHour: 0.69, stock: 'available' },
  { id: '4', name: 'H100 SXM 80GB', pricePerGpuHour: 2.89, stock: 'available' },
  { id: 'no-price', name: 'Mystery', stock: 'unknown' },
];

const workers = (minNum: number, maxNum: number, gpuNum = 1): Partial<EndpointConfig> => ({
  workerConfig: { minNum, maxNum, freeTimeout: 300, maxConcurrent: 2, gpuNum, requestTimeout: 120 },
});

/** One managed endpoint `a` live as `before`, wanted as `after` (none: deleted); plus `extra` desired. */
function planOf(before: EndpointConfig | undefined, after: EndpointConfig | undefined, catalogue = CATALOGUE): Plan {
  const desired = after ? [desiredEndpoint('a', { config: after })] : [];
  const lockfile = lockfileOf(before ? { a: lockEntry('id-a', before) } : {});
  const live = before ? [liveEndpoint('id-a', before)] : [];
  return addCosts(assemblePlan({ desired, lockfile, live }), { desired, lockfile, live, catalogue });
}

describe('addCosts: workers × gpuNum × price per GPU-hour, before → after', () => {
  it('a maxNum change moves only the ceiling, by the exact catalogue price', () => {
    const plan = planOf(endpointConfig('a', workers(0, 2)), endpointConfig('a', workers(0, 20)));
    expect(plan.changes[0]!.cost).toEqual({ currency: 'USD', floor: [0, 0], ceiling: [1.38, 13.8] });
    expect(plan.cost?.total).toEqual({ currency: 'USD', floor: [0, 0], ceiling: [1.38, 13.8] });
  });

  it('gpuNum multiplies, minNum sets the floor', () => {
    const plan = planOf(endpointConfig('a', workers(0, 2)), endpointConfig('a', workers(1, 3, 2)));
    expect(plan.changes[0]!.cost).toEqual({ currency: 'USD', floor: [0, 1.38], ceiling: [1.38, 4.14] });
  });

  it('a product change shows the price change', () => {
    const plan = planOf(endpointConfig('a', workers(1, 2)), endpointConfig('a', { ...workers(1, 2), products: [{ id: '4' }] }));
    expect(plan.changes[0]).toMatchObject({ action: 'replace', cost: { floor: [0.69, 2.89], ceiling: [1.38, 5.78] } });
  });

  it('a create costs nothing before, a delete nothing after', () => {
    expect(planOf(undefined, endpointConfig('a', workers(1, 2))).changes[0]).toMatchObject({
      action: 'create',
      cost: { floor: [0, 0.69], ceiling: [0, 1.38] },
    });
    expect(planOf(endpointConfig('a', workers(1, 2)), undefined).changes[0]).toMatchObject({
      action: 'delete',
      cost: { floor: [0.69, 0], ceiling: [1.38, 0] },
    });
  });

  it('sums without binary-fraction noise', () => {
    const plan = planOf(endpointConfig('a', workers(0, 1)), endpointConfig('a', workers(0, 3)), [
      { id: '1', name: 'x', pricePerGpuHour: 0.1, stock: 'available' },
    ]);
    expect(plan.changes[0]!.cost?.ceiling).toEqual([0.1, 0.3]);
  });

  it('with several products the dearest prices the worker', () => {
    const plan = planOf(undefined, endpointConfig('a', { ...workers(0, 1), products: [{ id: '1' }, { id: '4' }] }));
    expect(plan.changes[0]!.cost?.ceiling).toEqual([0, 2.89]);
  });

  it('a product without a price leaves its figures unknown, and says which', () => {
    const plan = planOf(endpointConfig('a', workers(0, 2)), endpointConfig('a', { ...workers(0, 2), products: [{ id: 'no-price' }] }));
    expect(plan.changes[0]!.cost).toEqual({ currency: 'USD', floor: [0, null], ceiling: [1.38, null] });
    expect(plan.cost).toMatchObject({
      total: { ceiling: [1.38, null] },
      unknownReason: 'the product catalogue gives no price for the products of a',
    });
  });

  it('totals cover every managed endpoint, also those the plan leaves alone', () => {
    const b = endpointConfig('b', workers(1, 4));
    const desired = [desiredEndpoint('a', { config: endpointConfig('a', workers(0, 5)) })];
    const lockfile = lockfileOf({ a: lockEntry('id-a', endpointConfig('a', workers(0, 2))), b: lockEntry('id-b', b) });
    const live = [
      liveEndpoint('id-a', endpointConfig('a', workers(0, 2))),
      liveEndpoint('id-b', b),
      liveEndpoint('id-x', endpointConfig('x', workers(9, 9))),
    ];
    // `b` stands for an endpoint outside a --target selection: the plan has no change for it.
    const full = assemblePlan({ desired, lockfile, live });
    const targeted = { ...full, changes: full.changes.filter((change) => change.name === 'a') };
    const plan = addCosts(targeted, { desired, lockfile, live, catalogue: CATALOGUE });
    expect(plan.cost?.total).toEqual({ currency: 'USD', floor: [0.69, 0.69], ceiling: [4.14, 6.21] });
    expect(plan.cost?.largestCeilings).toEqual([
      { name: 'a', ceiling: 3.45 },
      { name: 'b', ceiling: 2.76 },
    ]);
  });

  it('takes the currency the catalogue names', () => {
    const plan = planOf(undefined, endpointConfig('a', workers(0, 1)), [
      { id: '1', name: 'x', pricePerGpuHour: 9, currency: 'CNY', stock: 'available' },
    ]);
    expect(plan.changes[0]!.cost?.currency).toBe('CNY');
  });
});

describe('budgetExcess', () => {
  const twenty = planOf(endpointConfig('a', workers(0, 2)), endpointConfig('a', workers(0, 20)));

  it('passes a plan whose ceiling after is within the budget, the budget itself included', () => {
    expect(budgetExcess(twenty, 13.8)).toBeUndefined();
    expect(budgetExcess(twenty, 100)).toBeUndefined();
  });

  it('names the ceiling, the budget and the endpoints that contribute most', () => {
    expect(budgetExcess(twenty, 5)).toBe(
      'the hourly ceiling after this plan, 13.80 USD/h (every managed endpoint at maxNum workers), exceeds the budget of 5.00 USD/h (--max-hourly-cost / maxHourlyCost); the largest: a (13.80 USD/h)',
    );
  });

  it('refuses when the ceiling cannot be computed: an unchecked budget is not kept', () => {
    expect(budgetExcess(withUnknownCost(twenty, 'no catalogue here'), 1000)).toMatch(/cannot be checked: no catalogue here/);
  });
});
