/** How the plan formatters word cost, so text and markdown always agree. */
import { formatAmount, type CostPair, type HourlyCost, type Plan } from '../plan/index.js';

/** `$1.38` for USD, `1.38 CNY` for another currency, `?` for an unknown figure. */
export function formatMoney(value: number | null, currency: string): string {
  if (value === null) return '?';
  return currency === 'USD' ? `$${formatAmount(value)}` : `${formatAmount(value)} ${currency}`;
}

/** `$1.38/h` when both sides agree, else `$1.38/h → $2.76/h`. */
export function formatCostPair([before, after]: CostPair, currency: string): string {
  const from = `${formatMoney(before, currency)}/h`;
  const to = `${formatMoney(after, currency)}/h`;
  return before === after ? to : `${from} → ${to}`;
}

/** `floor $0.00/h, ceiling $1.38/h → $2.76/h`. */
export const describeCost = (cost: HourlyCost): string =>
  `floor ${formatCostPair(cost.floor, cost.currency)}, ceiling ${formatCostPair(cost.ceiling, cost.currency)}`;

/** The plan's closing cost line: the totals, or why they are unknown. Empty when the plan carries no cost at all. */
export function costSummaryLine(plan: Plan): string {
  const cost = plan.cost;
  if (cost === undefined) return '';
  const partly = cost.unknownReason && cost.total ? ` (partly unknown: ${cost.unknownReason})` : '';
  if (cost.total) return `Cost estimate, all managed endpoints: ${describeCost(cost.total)}${partly}.`;
  return `Cost: unknown (${cost.unknownReason ?? 'no product catalogue'}).`;
}

/** Whether a change's cost moves at all (a cost line for an unchanged cost is noise). */
export const costChanges = (cost: HourlyCost): boolean => cost.floor[0] !== cost.floor[1] || cost.ceiling[0] !== cost.ceiling[1];

export const ESTIMATE_NOTE =
  'An estimate: workers × gpuNum × the catalogue price per GPU-hour, at minNum (floor) and maxNum (ceiling) workers; the platform bills running time, so idle scale-to-zero costs less and storage is not included.';
