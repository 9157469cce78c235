import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { Lockfile } from '../lockfile/types.js';
import type { DesiredEndpoint } from '../spec/types.js';

/** The version of the plan's JSON document; new keys may be added, existing ones keep their meaning. */
export const PLAN_FORMAT_VERSION = 1;

/**
 * `create` a new endpoint; `adopt` an unrecorded live one (guarded); `update` in place;
 * `move` a spec whose `name` changed (same endpoint, recorded under the new name);
 * `replace` an endpoint whose immutable fields changed (guarded); `delete` a recorded endpoint
 * without a spec (guarded); `forget` a recorded endpoint already gone live; `noop`.
 */
export type Action = 'create' | 'adopt' | 'update' | 'move' | 'replace' | 'delete' | 'forget' | 'noop';

/** Every action, in the order summaries and counts list them. */
export const ACTIONS: readonly Action[] = ['create', 'adopt', 'update', 'move', 'replace', 'delete', 'forget', 'noop'];

/** Actions apply holds back unless a flag allows them: `delete`/`replace` (--allow-delete), `adopt` (--adopt). */
export type GuardedAction = 'adopt' | 'replace' | 'delete';

export const isGuarded = (action: Action): action is GuardedAction => action === 'adopt' || action === 'replace' || action === 'delete';

/** The flags that let apply carry out guarded actions, in the order messages name them. */
export const GUARD_FLAGS = ['--allow-delete', '--adopt'] as const;

/** The flag that lets apply carry out a guarded action. */
export const guardFlag = (action: GuardedAction): '--adopt' | '--allow-delete' => (action === 'adopt' ? '--adopt' : '--allow-delete');

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
  /**
   * The live value differs from what the lockfile says was applied: changed outside
   * ppio-deploy, so this change reverts it. Always false offline.
   */
  drift?: true;
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
  /** For a `move`: the name the lockfile records the endpoint under now. */
  from?: string;
  /** Hourly cost before → after; set on online plans that could read the product catalogue. */
  cost?: HourlyCost;
}

/** `[before, after]`; null where a product has no known price. */
export type CostPair = [before: number | null, after: number | null];

/** Per hour: the floor runs `minNum` workers, the ceiling `maxNum`; each worker `gpuNum × price per GPU-hour`. */
export interface HourlyCost {
  currency: string;
  floor: CostPair;
  ceiling: CostPair;
}

/** The plan's cost estimate. Without `total` (offline, no catalogue) the cost is unknown, and `unknownReason` says why. */
export interface PlanCost {
  /** Everything the lockfile manages, before → after the plan. */
  total?: HourlyCost;
  /** Why the cost (or part of it) is unknown. */
  unknownReason?: string;
  /** The endpoints with the highest ceiling after the plan, highest first (for budget messages). */
  largestCeilings?: { name: string; ceiling: number }[];
}

/** Something a reviewer must see that is not a change, e.g. a managed endpoint that is `failed`. */
export interface PlanWarning {
  /** The spec (or lockfile) name it concerns, if any. */
  name?: string;
  message: string;
}

export type PlanSummary = Record<Action, number>;

/** The plan as a plain, JSON-serialisable value. Every output format renders from it. */
export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  /** `online`: compared with the live endpoints; `offline`: with the lockfile only. */
  mode: 'online' | 'offline';
  /** The environment planned for (`--env`), null when the project has none. */
  environment: string | null;
  /**
   * One change per desired endpoint and per lockfile entry without a spec, sorted by name.
   * Noops are included (the summary counts them); outputs list only the others.
   */
  changes: Change[];
  /** Names of live endpoints the lockfile does not record and no change adopts (never planned). */
  unmanaged: string[];
  warnings: PlanWarning[];
  summary: PlanSummary;
  /** Added after planning by the caller (`addCosts`, `withUnknownCost`). */
  cost?: PlanCost;
}

/** What `assemblePlan` plans from. `live` undefined means offline: plan against the lockfile. */
export interface PlanInput {
  desired: DesiredEndpoint[];
  lockfile: Lockfile;
  live?: LiveEndpoint[];
  /** The environment planned for, when the project has environments. */
  environment?: string;
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

/**
 * The version of the saved-plan file. Raised whenever what a saved action means changes
 * (2: guarded changes held back, move/forget), so an older file is refused, never misread.
 */
export const SAVED_PLAN_VERSION = 2;

/** A plan written by `plan --out FILE`, read back by `apply FILE`. */
export type SavedPlan = Plan & { kind: typeof SAVED_PLAN_KIND; planFileVersion: typeof SAVED_PLAN_VERSION; basis: PlanBasis };
