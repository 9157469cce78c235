import type { LiveEndpoint } from '../api/types.js';
import type { Lockfile } from '../lockfile/types.js';
import type { DesiredEndpoint } from '../spec/types.js';

export const PLAN_FORMAT_VERSION = 1;

export type Action = 'create' | 'adopt' | 'update' | 'replace' | 'delete' | 'noop';

/** Every action, in the order summaries and counts list them. */
export const ACTIONS: readonly Action[] = ['create', 'adopt', 'update', 'replace', 'delete', 'noop'];

/**
 * What a change does to traffic: `metadata` (name only), `scaling` (worker counts,
 * timeouts, policy), `rollout` (workers restart), `new-endpoint` (clients get a new URL),
 * `destroy`, and `none` for a noop.
 */
export type Impact = 'none' | 'metadata' | 'scaling' | 'rollout' | 'new-endpoint' | 'destroy';

/** Impacts from least to most disruptive; a change takes the most disruptive of its fields. */
export const IMPACT_ORDER: readonly Impact[] = ['none', 'metadata', 'scaling', 'rollout', 'new-endpoint', 'destroy'];

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
  /**
   * Why the planner chose this action when it is not obvious from the fields, e.g. the
   * lockfile's id no longer exists live, or which live endpoint an adopt takes over.
   * Human outputs print it; it never holds a secret.
   */
  note?: string;
}

export type PlanSummary = Record<Action, number>;

/** The plan as a plain, JSON-serialisable value. Every output format renders from it. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /**
   * One change per desired endpoint and per lockfile entry without a spec, sorted by name.
   * Noops are included (the summary counts them); outputs list only the others.
   */
  changes: Change[];
  summary: PlanSummary;
}

/** What `assemblePlan` plans from. `live` undefined means offline: plan against the lockfile. */
export interface PlanInput {
  desired: DesiredEndpoint[];
  lockfile: Lockfile;
  live?: LiveEndpoint[];
}

/** What a saved plan was computed from; the CLI hashes the spec and lockfile bytes. */
export interface PlanBasis {
  specsDigest: string;
  lockfileDigest: string;
  /** The live endpoints were read (false: an offline plan). */
  live: boolean;
  /** `--target` patterns the plan was limited to; `apply FILE` limits its check the same way. */
  targets?: string[];
}

export const SAVED_PLAN_KIND = 'ppio-deploy-plan';

/** A plan written by `plan --out FILE`, read back by `apply FILE`. */
export type SavedPlan = Plan & { kind: typeof SAVED_PLAN_KIND; basis: PlanBasis };
