import { realpathSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitError, UsageError } from '../../common/errors.js';
import type { Plan } from '../../plan/types.js';
import { stringSink } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { printWarnings, writeUserFile } from '../output.js';
import { computePlan, enforceBudget, parseBudgetFlag } from '../planning.js';
import type { LoadedProject } from '../project.js';
import { serializeSavedPlan } from '../../plan/index.js';
import { journalPathFor } from '../../lockfile/index.js';
import { formatPlanMarkdown } from '../../report/plan-markdown.js';
import { formatPlanJson } from '../../report/plan-json.js';
import { formatPlanText } from '../../report/plan-text.js';

export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const format = String(options['format'] ?? 'text');
  const budget = parseBudgetFlag(options['maxHourlyCost']);
  const computed = await computePlan(ctx, {
    offline: options['offline'] === true,
    targets: targetOption(options),
    allowMissing: options['allowMissing'] === true,
  });
  printWarnings(ctx, computed.warnings);
  try {
    enforceBudget(ctx, computed, budget);
  } catch (error) {
    // The reviewer sees the plan that breaks the budget; a JSON reader gets the one error document.
    if (format !== 'json') await renderPlan(ctx, computed.plan, format);
    throw error;
  }

  if (typeof options['out'] === 'string') {
    await refuseProjectFile(ctx, options['out'], computed.project);
    await writeUserFile(ctx, options['out'], serializeSavedPlan(computed.plan, await computed.basis()));
    if (!ctx.quiet) ctx.stderr.write(`Saved the plan to ${options['out']}; run \`ppio-deploy apply ${options['out']}\` to apply exactly it.\n`);
  }

  await appendStepSummary(ctx, computed.plan);
  await renderPlan(ctx, computed.plan, format);

  if (hasChanges(computed.plan) && options['detailedExitcode'] === true) throw new ExitError(2);
  return 0;
}

/** `--out` must not overwrite a file the project is made of (the lockfile above all). */
async function refuseProjectFile(ctx: CommandContext, file: string, project: LoadedProject): Promise<void> {
  const lockfile = project.config.lockfilePath;
  const own = new Map<string, string>([
    [lockfile, 'the lockfile'],
    [journalPathFor(lockfile), "the lockfile's journal"],
    ...project.files.map((spec): [string, string] => [spec, 'a spec file']),
  ]);
  if (project.config.configFile) own.set(project.config.configFile, 'the project config');
  const target = realPath(path.resolve(ctx.cwd, file));
  const what = [...own].find(([ownFile]) => realPath(ownFile) === target)?.[1];
  if (what) throw new UsageError(`--out ${file} is ${what}: the plan would overwrite it. Save the plan under another name, e.g. plan.json`);
}

/** The path with symlinks resolved, or as given when it does not exist yet. */
function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

export async function renderPlan(ctx: CommandContext, plan: Plan, format: string): Promise<void> {
  const formatter = format === 'json' ? formatPlanJson : format === 'markdown' ? formatPlanMarkdown : formatPlanText;
  // One write for the whole plan: a large plan is thousands of lines, each a write otherwise.
  const sink = stringSink();
  formatter(plan, sink, { color: ctx.color });
  ctx.stdout.write(sink.text());
}

/** The `--target` patterns given (repeatable). */
export const targetOption = (options: Record<string, unknown>): string[] => (Array.isArray(options['target']) ? options['target'].map(String) : []);

/** Anything to do besides no-ops, from the summary the planner counted. */
export const hasChanges = (plan: Plan): boolean => Object.entries(plan.summary).some(([action, count]) => action !== 'noop' && count > 0);

/**
 * On GitHub Actions, the plan also lands in the job summary. A summary that cannot be written
 * is a warning: it must not turn a good plan or a finished apply into a failure.
 */
export async function appendStepSummary(ctx: CommandContext, plan: Plan): Promise<void> {
  const summaryFile = ctx.env['GITHUB_STEP_SUMMARY'];
  if (!summaryFile) return;
  const sink = stringSink();
  formatPlanMarkdown(plan, sink, { color: false });
  try {
    await appendFile(summaryFile, `${sink.text()}\n`);
  } catch (error) {
    ctx.stderr.write(
      `warning: could not write the job summary (GITHUB_STEP_SUMMARY): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`,
    );
  }
}
