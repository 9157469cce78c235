import path from 'node:path';
import { readRegularFile } from '../../common/files.js';
import { ExitError, RefusedError, UsageError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';
import { printWarnings } from '../output.js';
import { budgetRefusal, computePlan, parseBudgetFlag } from '../planning.js';
import { loadValidProject, lockfileName, requireApi } from '../project.js';
import { confirm } from '../prompt.js';
import type { ApplyResult } from '../../apply/types.js';
import { exitCodeFor, watchInterrupts, type InterruptSignal } from '../interrupt.js';
import { appendStepSummary, hasChanges, renderPlan, targetOption } from './plan.js';
import { parseSavedPlan, assertPlanCurrent } from '../../plan/index.js';
import { openLockfileSession, apiOriginOf } from '../../lockfile/index.js';
import { applyPlan, emptyCounts, heldBackChanges, recordCreateIntents, recordMissingUrls } from '../../apply/index.js';
import { createApplyRenderer } from '../../report/apply-text.js';
import { EarlyLiveState } from '../head-start.js';

export async function run(ctx: CommandContext, options: Record<string, unknown>, args: string[]): Promise<number> {
  // The live state is read from when the config is known, while the specs are read.
  const early = new EarlyLiveState(ctx);
  try {
    return await applyProject(ctx, options, args, early);
  } finally {
    early.close();
  }
}

async function applyProject(ctx: CommandContext, options: Record<string, unknown>, args: string[], early: EarlyLiveState): Promise<number> {
  const planFile = args[0];
  const concurrencyFlag = parseCount(options['concurrency'], '--concurrency', 1, 64);
  const waitTimeoutSeconds = parseCount(options['waitTimeout'], '--wait-timeout', 1, 86_400) ?? 900;
  const guardFlags = { allowDelete: options['allowDelete'] === true, adopt: options['adopt'] === true };
  const budget = parseBudgetFlag(options['maxHourlyCost']);

  const project = await loadValidProject(ctx, { onConfig: early.onConfig });
  const api = await requireApi(ctx, project.config, 'apply');
  const saved = planFile ? parseSavedPlan(await readPlanFile(ctx, planFile), planFile) : undefined;
  const environment = project.config.environment?.name ?? null;
  if (saved && saved.environment !== environment) {
    const planned = saved.environment === null ? 'without an environment' : `for environment ${saved.environment}`;
    throw new UsageError(
      `${planFile} was planned ${planned}; nothing was changed. Apply it with ${saved.environment === null ? 'no --env' : `--env ${saved.environment}`}, or make a new plan`,
    );
  }
  if (saved && targetOption(options).length > 0) {
    throw new UsageError(`--target cannot be combined with a saved plan: ${planFile} already holds only the changes it was planned for`);
  }
  const targets = saved ? (saved.basis.targets ?? []) : targetOption(options);

  const session = await openLockfileSession(project.config.lockfilePath, { displayName: lockfileName(ctx, project.config) });
  try {
    const allowMissing = options['allowMissing'] === true;
    const computed = await computePlan(ctx, {
      offline: false,
      api,
      project,
      lockfile: session.snapshot(),
      targets,
      allowMissing,
      headStart: early.headStart,
    });
    printWarnings(ctx, computed.warnings);
    if (saved) assertPlanCurrent(saved, { plan: computed.plan, basis: await computed.basis() });
    // Once the run goes ahead, the lockfile is written as this API's, in the current version.
    const bindOrigin = () => session.bindOrigin(apiOriginOf(project.config.baseUrl));

    const plan = computed.plan;
    const desired = new Map(computed.desired.map((d) => [d.name, d]));
    const heldBack = heldBackChanges(plan, guardFlags);
    const operations = plan.changes.filter((change) => change.action !== 'noop' && !heldBack.includes(change)).length;
    // Before the prompt and before any change: nothing over budget is ever started (the refusal follows the plan).
    const overBudget = budgetRefusal(computed, budget);
    // When the run goes ahead without asking, the create intents' journal write runs while the plan is printed.
    const goesAhead = operations > 0 && overBudget === undefined && approvedWithoutPrompt(ctx, options);
    if (goesAhead) bindOrigin();
    const intents = goesAhead ? recordCreateIntents({ plan, desired, session, ...guardFlags }) : undefined;
    if (!ctx.quiet || !hasChanges(plan)) await renderPlan(ctx, plan, 'text');
    if (overBudget) throw overBudget;
    const renderer = createApplyRenderer(ctx.stdout, { color: ctx.color }, operations);
    if (operations === 0) {
      // Nothing to run (everything matches, or every change is held back): no prompt.
      bindOrigin();
      await recordMissingUrls(session, computed.live ?? []);
      renderer.summary({ counts: emptyCounts(), failures: [], heldBack });
      return 0;
    }
    if (!(await approved(ctx, options, heldBack.length))) throw new RefusedError('Apply cancelled: nothing was changed.');
    bindOrigin();
    await recordMissingUrls(session, computed.live ?? []);

    const progress = { started: 0, ended: 0 };
    const interrupts = watchInterrupts(INTERRUPT_GRACE_MS, (signal) => {
      renderer.flush();
      ctx.stderr.write(
        `\n${signal}: starting no new operations; waiting up to ${INTERRUPT_GRACE_MS / 1000}s for the ${progress.started - progress.ended} in flight to finish (send it again to stop waiting).\n`,
      );
    });
    let result: ApplyResult | undefined;
    try {
      const running = applyPlan({
        plan,
        desired,
        intents,
        api,
        session,
        concurrency: concurrencyFlag ?? project.config.concurrency,
        ...guardFlags,
        wait: options['wait'] === true ? { timeoutMs: waitTimeoutSeconds * 1000, pollMs: 2000 } : undefined,
        onEvent: (event) => {
          if (event.type === 'started') progress.started += 1;
          if (event.type === 'finished' || event.type === 'failed') progress.ended += 1;
          renderer.event(event);
        },
        stop: interrupts.stop,
      });
      running.catch(() => {}); // when the grace period ends first, what is left finishes (or fails) unobserved
      result = await Promise.race([running, interrupts.giveUp.then(() => undefined)]);
    } finally {
      interrupts.dispose();
      renderer.flush();
    }
    const signal = interrupts.received();
    if (signal) {
      ctx.stderr.write(`${interruptedSummary(signal, operations, progress, result)}\n`);
      return exitCodeFor(signal);
    }
    if (!result) throw new Error('apply ended without a result');
    renderer.summary(result);
    await appendStepSummary(ctx, plan);
    return result.failures.length > 0 ? 1 : 0;
  } finally {
    await session.close();
  }
}

/** How long in-flight operations may take to finish after SIGINT/SIGTERM before apply stops waiting. */
const INTERRUPT_GRACE_MS = 30_000;

function interruptedSummary(
  signal: InterruptSignal,
  operations: number,
  progress: { started: number; ended: number },
  result: ApplyResult | undefined,
): string {
  const notStarted = operations - progress.started;
  const stillRunning = progress.started - progress.ended;
  const counts = result
    ? Object.entries(result.counts)
        .filter(([, count]) => count > 0)
        .map(([outcome, count]) => `${count} ${outcome}`)
    : [];
  if (result && result.failures.length > 0) counts.push(`${result.failures.length} failed`);
  const done = counts.length > 0 ? ` (${counts.join(', ')})` : '';
  const abandoned =
    !result && stillRunning > 0
      ? ` Stopped waiting for ${stillRunning} still in flight: the next apply finds what they did (a create's intent is recorded).`
      : '';
  return (
    `Interrupted by ${signal}: ${progress.ended} of ${operations} operations finished${done}, ${notStarted} not started.${abandoned} ` +
    'The lockfile records everything that finished; run apply again to do the rest.'
  );
}

/** --auto-approve, or CI=true without a terminal: the run goes ahead without a prompt. */
const approvedWithoutPrompt = (ctx: CommandContext, options: Record<string, unknown>): boolean =>
  options['autoApprove'] === true || (ctx.env['CI'] === 'true' && !ctx.interactive);

async function approved(ctx: CommandContext, options: Record<string, unknown>, heldBack: number): Promise<boolean> {
  if (approvedWithoutPrompt(ctx, options)) return true;
  if (!ctx.interactive) {
    throw new RefusedError('apply needs confirmation: pass --auto-approve (or set CI=true in a pipeline). Nothing was changed.');
  }
  const except = heldBack === 0 ? '' : ` (except the ${heldBack} held back: see "needs --…" above)`;
  const answer = await confirm(`Apply these changes${except}? Only "yes" is accepted: `);
  if (answer === 'interrupted' || answer === 'end-of-input') {
    ctx.stderr.write('\n');
    // 130 is what a shell reports for a program stopped by Ctrl-C.
    throw new ExitError(answer === 'interrupted' ? 130 : 1, 'Aborted: nothing was changed.');
  }
  return answer === 'yes';
}

async function readPlanFile(ctx: CommandContext, file: string): Promise<string> {
  try {
    return (await readRegularFile(path.resolve(ctx.cwd, file))).toString('utf8');
  } catch (error) {
    throw new UsageError(`cannot read plan file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseCount(value: unknown, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}
