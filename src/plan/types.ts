export const PLAN_FORMAT_VERSION = 1;

export type Action = 'create' | 'adopt' | 'update' | 'replace' | 'delete' | 'noop';

/**
 * What a change does to traffic: `metadata` (name only), `scaling` (worker counts,
 * timeouts, policy), `rollout` (workers restart), `new-endpoint` (clients get a new URL),
 * `destroy`, and `none` for a noop.
 */
export type Impact = 'none' | 'metadata' | 'scaling' | 'rollout' | 'new-endpoint' | 'destroy';

export interface FieldDiff {
  /** JSON pointer into the endpoint config, e.g. `/workerConfig/maxNum`. */
  path: string;
  /** Absent when the field is added. Masked as `(sensitive)` for sensitive values. */
  before?: unknown;
  /** Absent when the field is removed. Masked as `(sensitive)` / `(sensitive value changed)`. */
  after?: unknown;
  sensitive?: true;
}

export interface Change {
  name: string;
  action: Action;
  /** The endpoint id: known for everything but `create`. */
  id?: string;
  /** Spec file (or, for a delete, the lockfile's record of it). */
  source: string;
  impact: Impact;
  fields: FieldDiff[];
}

export type PlanSummary = Record<Action, number>;

/** The plan as a plain, JSON-serialisable value. Every output format renders from it. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  changes: Change[];
  summary: PlanSummary;
}
