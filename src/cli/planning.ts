/**
 * Computes a plan from the project as it is now. Shared by `plan` and `apply`, so both
 * always agree on what would change.
 */
import type { LiveEndpoint, PpioApi, ProductCatalogue } from '../api/types.js';
import type { Diagnostic } from '../common/diagnostic.js';
import { RefusedError, UsageError } from '../common/errors.js';
import type { ProjectConfig } from '../config/types.js';
import type { LockfileSnapshot } from '../lockfile/store.js';
import type { Plan } from '../plan/types.js';
import type { DesiredEndpoint } from '../spec/types.js';
import type { CommandContext } from './context.js';
import { EarlyLiveState, type HeadStart } from './head-start.js';
import { sensitiveValues } from './output.js';
import { readLockfileSnapshot, apiOriginOf, assertLockfileOrigin, assertRecordedMostlyLive } from '../lockfile/index.js';
import { addCosts, assemblePlan, budgetExcess, narrowPlan, withUnknownCost } from '../plan/index.js';
import { assertUnreadableUnclaimed } from '../api/index.js';
import {
  checkAgainstAccount,
  connectApi,
  digestInputs,
  fetchAccountState,
  loadValidProject,
  lockfileName,
  resolveDesiredEndpoints,
  type LoadedProject,
} from './project.js';

export interface ComputedPlan {
  plan: Plan;
  /** What a saved plan records it was computed from; hashing every spec file costs, so only on demand. */
  basis(): Promise<{ specsDigest: string; lockfileDigest: string; live: boolean }>;
  project: LoadedProject;
  desired: DesiredEndpoint[];
  api?: PpioApi;
  /** The live endpoints the plan was computed against (undefined when offline). */
  live?: LiveEndpoint[];
  warnings: Diagnostic[];
}

export interface PlanOptions {
  offline: boolean;
  /** An already loaded project (apply loads it before taking the lock). */
  project?: LoadedProject;
  /** Use this API client (apply passes the one it holds) instead of connecting. */
  api?: PpioApi;
  /** Plan against this lockfile (apply passes its locked session's) instead of reading the file. */
  lockfile?: LockfileSnapshot;
  /** Plan even when most recorded endpoints are missing live (--allow-missing). */
  allowMissing?: boolean;
  /** `--target` patterns: only the changes of matching names. */
  targets?: readonly string[];
  /** Live-state reads apply began when it knew the config (see head-start.ts); without it, computePlan begins its own. */
  headStart?: HeadStart;
}

const OFFLINE_COST = 'an offline plan does not read the product catalogue';

export async function computePlan(ctx: CommandContext, options: PlanOptions): Promise<ComputedPlan> {
  const early = new EarlyLiveState(ctx);
  try {
    return await computePlanWith(ctx, options, early);
  } finally {
    early.close();
  }
}

async function computePlanWith(ctx: CommandContext, options: PlanOptions, early: EarlyLiveState): Promise<ComputedPlan> {
  const project = options.project ?? (await loadValidProject(ctx, options.offline ? {} : { onConfig: early.onConfig }));
  const headStart = options.headStart ?? early.headStart;
  const desired = await resolveDesiredEndpoints(project, ctx.env);
  ctx.secrets.add(sensitiveValues(desired, ctx.env));
  const lockfileFile = lockfileName(ctx, project.config);
  const snapshot =
    options.lockfile ?? project.lockfile ?? (await (headStart?.snapshot ?? readLockfileSnapshot(project.config.lockfilePath, lockfileFile)));
  if (snapshot.notice !== undefined && !ctx.quiet) ctx.stderr.write(`notice: ${snapshot.notice}\n`);
  const lockfile = snapshot.lockfile;

  const api = options.offline ? undefined : (options.api ?? (await connectApi(ctx, project.config)));
  if (!api && !options.offline && !ctx.quiet) {
    ctx.stderr.write(`${project.config.apiKeyEnv} is not set: planning against the lockfile only (drift and hand-made changes are not visible).\n`);
  }
  const warnings = [...project.warnings];
  let live: LiveEndpoint[] | undefined;
  let catalogue: ProductCatalogue = { unavailable: OFFLINE_COST };
  if (api) {
    const origin = apiOriginOf(project.config.baseUrl);
    assertLockfileOrigin(lockfile, origin, lockfileFile);
    const account = await fetchAccountState(
      api,
      project.specs,
      Object.values(lockfile.endpoints).map((entry) => entry.id),
      await headStart?.readsFor(snapshot),
    );
    headStart?.close();
    assertUnreadableUnclaimed(
      account.live,
      desired.map((endpoint) => endpoint.config),
    );
    if (options.allowMissing !== true) assertRecordedMostlyLive(lockfile, new Set(account.live.map((endpoint) => endpoint.id)), lockfileFile, origin);
    warnings.push(...(await checkAgainstAccount(project, account)));
    live = account.live;
    catalogue = account.facts.catalogue;
  }

  const targets = [...(options.targets ?? [])];
  const narrowed = narrowPlan(assemblePlan({ desired, lockfile, live, environment: project.config.environment?.name }), targets);
  const plan =
    live !== undefined && 'products' in catalogue
      ? addCosts(narrowed, { desired, lockfile, live, catalogue: catalogue.products })
      : withUnknownCost(narrowed, 'unavailable' in catalogue ? catalogue.unavailable : OFFLINE_COST);
  const basis = async () => ({ ...(await digestInputs(project, snapshot.text)), live: live !== undefined, targets });
  return { plan, basis, project, desired, api, live, warnings };
}

/** `--max-hourly-cost N`, checked before anything is loaded: a bad N is a flag error. */
export function parseBudgetFlag(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const budget = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(budget)) throw new UsageError(`--max-hourly-cost must be a number of currency units per hour, 0 or more (got "${text}")`);
  return budget;
}

/**
 * Refuses a plan whose hourly ceiling after it exceeds the budget (the flag wins over the
 * config). An offline plan cannot price anything: it only says the budget was not checked.
 */
export function enforceBudget(ctx: CommandContext, computed: ComputedPlan, flag: number | undefined): void {
  if (computed.live === undefined) {
    const budget = flag ?? budgetOf(computed.project.config);
    if (budget !== undefined && budgetExcess(computed.plan, budget) !== undefined && !ctx.quiet) {
      ctx.stderr.write(`warning: the hourly budget was not checked: ${computed.plan.cost?.unknownReason ?? 'offline plan'}\n`);
    }
    return;
  }
  const refusal = budgetRefusal(computed, flag);
  if (refusal) throw refusal;
}

/** The refusal of a plan computed against the live state that breaks the budget, or undefined. */
export function budgetRefusal(computed: ComputedPlan, flag: number | undefined): RefusedError | undefined {
  const budget = flag ?? budgetOf(computed.project.config);
  const excess = budget === undefined || computed.live === undefined ? undefined : budgetExcess(computed.plan, budget);
  return excess === undefined ? undefined : new RefusedError(`Over budget: ${excess}.`);
}

const budgetOf = (config: ProjectConfig): number | undefined => config.maxHourlyCost;
