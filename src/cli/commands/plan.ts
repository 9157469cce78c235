import { appendFile } from 'node:fs/promises';
import { ExitError } from '../../common/errors.js';
import type { Plan } from '../../plan/types.js';
import type { CommandContext } from '../context.js';
import { printWarnings, writeFileAtomic } from '../output.js';
import { computePlan } from '../planning.js';

export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const format = String(options['format'] ?? 'text');
  const computed = await computePlan(ctx, { offline: options['offline'] === true });
  printWarnings(ctx, computed.warnings);

  if (typeof options['out'] === 'string') {
    const { serializeSavedPlan } = await import('../../plan/index.js');
    await writeFileAtomic(ctx, options['out'], serializeSavedPlan(computed.plan, computed.basis));
    if (!ctx.quiet) ctx.stderr.write(`Saved the plan to ${options['out']}; run \`ppio-deploy apply ${options['out']}\` to apply exactly it.\n`);
  }

  await renderPlan(ctx, computed.plan, format);
  await appendStepSummary(ctx, computed.plan);

  const pending = computed.plan.changes.some((change) => change.action !== 'noop');
  if (pending && options['detailedExitcode'] === true) throw new ExitError(2);
  return 0;
}

export async function renderPlan(ctx: CommandContext, plan: Plan, format: string): Promise<void> {
  const report = await import('../../report/index.js');
  const formatter =
    format === 'json' ? report.formatPlanJson : format === 'markdown' ? report.formatPlanMarkdown : report.formatPlanText;
  formatter(plan, ctx.stdout, { color: ctx.color });
}

/** On GitHub Actions, the plan also lands in the job summary. */
export async function appendStepSummary(ctx: CommandContext, plan: Plan): Promise<void> {
  const summaryFile = ctx.env['GITHUB_STEP_SUMMARY'];
  if (!summaryFile) return;
  const { formatPlanMarkdown, stringSink } = await import('../../report/index.js');
  const sink = stringSink();
  formatPlanMarkdown(plan, sink, { color: false });
  await appendFile(summaryFile, `${sink.text()}\n`);
}
