/**
 * Computes a plan from the project as it is now. Shared by `plan` and `apply`, so both
 * always agree on what would change.
 */
import type { LiveEndpoint, PpioApi } from '../api/types.js';
import type { Diagnostic } from '../common/diagnostic.js';
import type { LockfileSnapshot } from '../lockfile/store.js';
import type { Plan } from '../plan/types.js';
import type { DesiredEndpoint } from '../spec/types.js';
import type { CommandContext } from './context.js';
import { sensitiveValues } from './output.js';
import { readLockfileSnapshot, apiOriginOf, assertLockfileOrigin, assertRecordedMostlyLive } from '../lockfile/index.js';
import { assemblePlan, narrowPlan } from '../plan/index.js';
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
}

export async function computePlan(ctx: CommandContext, options: PlanOptions): Promise<ComputedPlan> {
  const project = options.project ?? (await loadValidProject(ctx));
  const desired = await resolveDesiredEndpoints(project, ctx.env);
  ctx.secrets.add(sensitiveValues(desired, ctx.env));
  const lockfileFile = lockfileName(ctx, project.config);
  const snapshot = options.lockfile ?? project.lockfile ?? (await readLockfileSnapshot(project.config.lockfilePath, lockfileFile));
  if (snapshot.notice !== undefined && !ctx.quiet) ctx.stderr.write(`notice: ${snapshot.notice}\n`);
  const lockfile = snapshot.lockfile;

  const api = options.offline ? undefined : (options.api ?? (await connectApi(ctx, project.config)));
  if (!api && !options.offline && !ctx.quiet) {
    ctx.stderr.write(`${project.config.apiKeyEnv} is not set: planning against the lockfile only (drift and hand-made changes are not visible).\n`);
  }
  const warnings = [...project.warnings];
  let live: LiveEndpoint[] | undefined;
  if (api) {
    const origin = apiOriginOf(project.config.baseUrl);
    assertLockfileOrigin(lockfile, origin, lockfileFile);
    const account = await fetchAccountState(api, project.specs, Object.values(lockfile.endpoints).map((entry) => entry.id));
    assertUnreadableUnclaimed(account.live, desired.map((endpoint) => endpoint.config));
    if (options.allowMissing !== true) assertRecordedMostlyLive(lockfile, new Set(account.live.map((endpoint) => endpoint.id)), lockfileFile, origin);
    warnings.push(...(await checkAgainstAccount(project, account)));
    live = account.live;
  }

  const targets = [...(options.targets ?? [])];
  const plan = narrowPlan(assemblePlan({ desired, lockfile, live, environment: project.config.environment?.name }), targets);
  const basis = async () => ({ ...(await digestInputs(project, snapshot.text)), live: live !== undefined, targets });
  return { plan, basis, project, desired, api, live, warnings };
}
