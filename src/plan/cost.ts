/**
 * The hourly cost of a plan, from the serverless product catalogue: per change and for
 * everything the lockfile manages, before → after. A worker costs `gpuNum × price per
 * GPU-hour`; the floor is `minNum` workers, the ceiling `maxNum`. Pure, like the planner.
 */
import type { ServerlessProduct } from '../schema/account-facts.js';
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { Lockfile } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import type { DesiredEndpoint } from '../spec/types.js';
import type { Change, HourlyCost, Plan, PlanCost } from './types.js';

export const DEFAULT_CURRENCY = 'USD';
/** How many of the most expensive endpoints a budget message names. */
const NAMED_CONTRIBUTORS = 3;

export interface CostInput {
  desired: readonly DesiredEndpoint[];
  lockfile: Lockfile;
  live: readonly LiveEndpoint[];
  catalogue: readonly ServerlessProduct[];
}

/** Per worker-hour and per endpoint: null where a product has no known price. */
interface EndpointCost {
  floor: number | null;
  ceiling: number | null;
}

const NOTHING: EndpointCost = { floor: 0, ceiling: 0 };

/** The plan with `cost` on every change and the account-wide totals. */
export function addCosts(plan: Plan, input: CostInput): Plan {
  const prices = new Map(input.catalogue.map((product) => [product.id, product]));
  const currency = input.catalogue.find((product) => product.currency)?.currency ?? DEFAULT_CURRENCY;
  const liveById = new Map(input.live.map((endpoint) => [endpoint.id, endpoint.config]));
  const desiredByName = new Map(input.desired.map((endpoint) => [endpoint.name, endpoint.config]));
  // Named by endpoint, never by product id: an id may come from `${env:…}`, i.e. be a secret.
  const unpriced = new Set<string>();
  const costOf = (config: EndpointConfig | undefined): EndpointCost => {
    const cost = config ? endpointCost(config, prices) : NOTHING;
    if (config && cost.ceiling === null) unpriced.add(config.name);
    return cost;
  };

  const totals = { before: [] as EndpointCost[], after: [] as EndpointCost[] };
  const afterCeilings: { name: string; ceiling: number | null }[] = [];
  const changes = plan.changes.map((change): Change => {
    const before = costOf(change.id === undefined ? undefined : liveById.get(change.id));
    const after = costOf(isRemoval(change) ? undefined : desiredByName.get(change.name));
    totals.before.push(before);
    totals.after.push(after);
    afterCeilings.push({ name: change.name, ceiling: after.ceiling });
    return { ...change, cost: hourlyCost(currency, before, after) };
  });
  // Endpoints the plan does not cover (limited with --target) cost the same before and after.
  const planned = new Set(plan.changes.map((change) => change.name));
  for (const [name, entry] of Object.entries(input.lockfile.endpoints)) {
    if (planned.has(name)) continue;
    const unchanged = costOf(liveById.get(entry.id));
    totals.before.push(unchanged);
    totals.after.push(unchanged);
    afterCeilings.push({ name, ceiling: unchanged.ceiling });
  }

  const total = hourlyCost(currency, sum(totals.before), sum(totals.after));
  const cost: PlanCost = { total, largestCeilings: largest(afterCeilings) };
  if (unpriced.size > 0) {
    cost.unknownReason = `the product catalogue gives no price for the products of ${[...unpriced].sort().join(', ')}`;
  }
  return { ...plan, changes, cost };
}

/** The plan when no catalogue could be read: every figure unknown, and why. */
export function withUnknownCost(plan: Plan, reason: string): Plan {
  return { ...plan, cost: { unknownReason: reason } };
}

/**
 * Why the plan breaks an hourly budget, or undefined when it keeps it. A ceiling that cannot
 * be computed breaks it too: a budget nobody can check is not kept.
 */
export function budgetExcess(plan: Plan, maxHourlyCost: number): string | undefined {
  const total = plan.cost?.total;
  const ceiling = total?.ceiling[1];
  if (total === undefined || ceiling === undefined || ceiling === null) {
    const why = plan.cost?.unknownReason ?? 'the plan has no cost estimate';
    return `the hourly budget of ${formatAmount(maxHourlyCost)}/h cannot be checked: ${why}. Fix that, or remove the budget (--max-hourly-cost / maxHourlyCost)`;
  }
  // Both to a millionth, like every figure here: 13.799999999999999 keeps a budget of 13.8.
  if (ceiling <= round(maxHourlyCost)) return undefined;
  const per = (amount: number) => `${formatAmount(amount)} ${total.currency}/h`;
  const named = (plan.cost?.largestCeilings ?? []).map((entry) => `${entry.name} (${per(entry.ceiling)})`).join(', ');
  return (
    `the hourly ceiling after this plan, ${per(ceiling)} (every managed endpoint at maxNum workers), ` +
    `exceeds the budget of ${per(maxHourlyCost)} (--max-hourly-cost / maxHourlyCost)${named ? `; the largest: ${named}` : ''}`
  );
}

/**
 * Up to four decimals, at least two: 1.38, 27.60, 0.069. The same text as
 * `Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4, useGrouping: false })`,
 * without creating one where it can be helped: the first Intl formatter of a process loads
 * ICU's data (~16 ms of every plan and apply). Like Intl, it rounds the number's shortest
 * decimal form (what `String()` prints) half away from zero.
 */
export function formatAmount(value: number): string {
  const decimal = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (decimal === null || Object.is(value, -0)) return intlAmount(value); // exponent forms, NaN, ±Infinity, -0
  const [, sign, whole, fraction = ''] = decimal as unknown as [string, string, string, string | undefined];
  if (fraction.length <= 4) return `${sign}${whole}.${fraction.padEnd(2, '0')}`;
  const roundsUp = fraction.charCodeAt(4) >= 0x35; // '5'
  const digits = String(BigInt(whole + fraction.slice(0, 4)) + (roundsUp ? 1n : 0n)).padStart(5, '0');
  return `${sign}${digits.slice(0, -4)}.${digits.slice(-4).replace(/0{1,2}$/, '')}`;
}

let intlFormat: Intl.NumberFormat | undefined;
const intlAmount = (value: number): string =>
  (intlFormat ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4, useGrouping: false })).format(value);

// A delete (or any change that removes the endpoint) leaves nothing running after the apply.
const isRemoval = (change: Change): boolean => change.action === 'delete' || (change.action as string) === 'forget';

function endpointCost(config: EndpointConfig, prices: ReadonlyMap<string, ServerlessProduct>): EndpointCost {
  const perWorker = workerHourly(config, prices);
  if (perWorker === null) return { floor: null, ceiling: null };
  return { floor: round(config.workerConfig.minNum * perWorker), ceiling: round(config.workerConfig.maxNum * perWorker) };
}

/**
 * `gpuNum × price`. With several products listed the platform may place a worker on any of
 * them: the dearest one prices it, so the estimate errs high rather than low.
 */
function workerHourly(config: EndpointConfig, prices: ReadonlyMap<string, ServerlessProduct>): number | null {
  const perGpu = config.products.map((product) => prices.get(product.id)?.pricePerGpuHour);
  if (perGpu.length === 0 || perGpu.some((price) => price === undefined)) return null;
  return config.workerConfig.gpuNum * Math.max(...(perGpu as number[]));
}

function hourlyCost(currency: string, before: EndpointCost, after: EndpointCost): HourlyCost {
  return { currency, floor: [before.floor, after.floor], ceiling: [before.ceiling, after.ceiling] };
}

function sum(costs: readonly EndpointCost[]): EndpointCost {
  const add = (values: (number | null)[]) => (values.some((value) => value === null) ? null : round((values as number[]).reduce((a, b) => a + b, 0)));
  return { floor: add(costs.map((cost) => cost.floor)), ceiling: add(costs.map((cost) => cost.ceiling)) };
}

function largest(entries: readonly { name: string; ceiling: number | null }[]): { name: string; ceiling: number }[] {
  return entries
    .filter((entry): entry is { name: string; ceiling: number } => entry.ceiling !== null && entry.ceiling > 0)
    .sort((a, b) => b.ceiling - a.ceiling || (a.name < b.name ? -1 : 1))
    .slice(0, NAMED_CONTRIBUTORS);
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;
