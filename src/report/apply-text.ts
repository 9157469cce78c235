/**
 * Apply progress for people: one line per operation as it finishes, with its duration,
 * failures spelled out, and a closing `Apply complete: …` line (or a failure summary).
 */
import pc from 'picocolors';
import type { ApplyCounts, ApplyEvent, ApplyResult, Outcome } from '../apply/types.js';
import { GUARD_FLAGS, guardFlag, isGuarded, type Change, type GuardedAction } from '../plan/types.js';
import type { Formatter, RenderOptions, Sink } from './types.js';
import { printable } from './plan-shared.js';

type Colors = ReturnType<typeof pc.createColors>;

const OUTCOME_SYMBOLS: Record<Outcome, string> = {
  created: '+',
  updated: '~',
  moved: '->',
  replaced: '-/+',
  deleted: '-',
  adopted: '<=',
  forgotten: '-',
};

export const formatApplyEvent: Formatter<ApplyEvent> = (event, sink, options) => {
  const line = renderEvent(event, pc.createColors(options.color));
  if (line !== undefined) sink.write(`${line}\n`);
};

export const formatApplySummary: Formatter<ApplyResult> = (result, sink, options) => {
  const colors = pc.createColors(options.color);
  sink.write(heldBackText(result.heldBack, colors));
  if (result.failures.length === 0) {
    sink.write(`${colors.green('Apply complete:')} ${countsText(result.counts)}.\n`);
    return;
  }
  const failed = result.failures.length;
  sink.write(`${colors.red(`Apply failed: ${failed} ${failed === 1 ? 'operation' : 'operations'} failed`)} (${countsText(result.counts)}).\n`);
  for (const failure of result.failures) sink.write(`  - ${failure.action} ${printable(failure.name)}: ${printable(failure.message)}\n`);
};

/**
 * The guarded changes apply did not carry out, one line each, then
 * `Held back: 1 delete, 1 adopt (rerun with --allow-delete / --adopt).`
 */
const HELD_BACK_ORDER: readonly GuardedAction[] = ['delete', 'replace', 'adopt'];

function heldBackText(heldBack: readonly Change[], colors: Colors): string {
  if (heldBack.length === 0) return '';
  const flagOf = (change: Change): string => (isGuarded(change.action) ? guardFlag(change.action) : '');
  const lines = heldBack.map(
    (change) => `  ${colors.yellow('||')} ${change.action} ${colors.bold(printable(change.name))}: held back, needs ${flagOf(change)}\n`,
  );
  const counts = HELD_BACK_ORDER.flatMap((action) => {
    const count = heldBack.filter((change) => change.action === action).length;
    return count > 0 ? [`${count} ${action}`] : [];
  });
  const flags = GUARD_FLAGS.filter((flag) => heldBack.some((change) => flagOf(change) === flag));
  return `${lines.join('')}${colors.yellow('Held back:')} ${counts.join(', ')} (rerun with ${flags.join(' / ')}).\n`;
}

/** How long a progress line may wait to share one write with the lines after it. */
export const PROGRESS_FLUSH_MS = 50;

export interface ApplyRenderer {
  event(event: ApplyEvent): void;
  /** Writes the lines still held back now (before another message, or when the apply stops). */
  flush(): void;
  summary(result: ApplyResult): void;
}

/**
 * What the CLI wires to applyPlan's onEvent and to the result. With `total` (the number of
 * operations), each finished or failed line ends with its place, e.g. `[37/200]`, so a
 * long apply shows its progress in a terminal and in a CI log alike. Lines are written at
 * most PROGRESS_FLUSH_MS after they happen, together: a large apply finishes hundreds of
 * operations a second, and a write to a pipe costs as much as the operation's own work.
 */
export function createApplyRenderer(sink: Sink, options: RenderOptions, total?: number): ApplyRenderer {
  let done = 0;
  const colors = pc.createColors(options.color);
  let held = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (held === '') return;
    const text = held;
    held = '';
    sink.write(text);
  };
  return {
    event: (event) => {
      const line = renderEvent(event, colors);
      if (line === undefined) return;
      const counted = total !== undefined && (event.type === 'finished' || event.type === 'failed');
      if (counted) done += 1;
      held += counted ? `${line} ${colors.dim(`[${done}/${total}]`)}\n` : `${line}\n`;
      timer ??= setTimeout(flush, PROGRESS_FLUSH_MS);
    },
    flush,
    summary: (result) => {
      flush();
      formatApplySummary(result, sink, options);
    },
  };
}

function renderEvent(event: ApplyEvent, colors: Colors): string | undefined {
  switch (event.type) {
    case 'started':
      return undefined;
    case 'finished': {
      const symbol = colorOutcome(event.outcome, colors);
      return `${symbol} ${event.outcome} ${colors.bold(printable(event.change.name))} (${event.id}) in ${formatDuration(event.durationMs)}`;
    }
    case 'failed':
      return `${colors.red('!')} ${event.change.action} ${colors.bold(printable(event.change.name))} ${colors.red('failed')} after ${formatDuration(event.durationMs)}: ${printable(event.error)}`;
    case 'reconciled':
      return `    ${colors.dim(`${printable(event.name)} already exists as ${event.id}: recording it instead of creating another`)}`;
    case 'url':
      return `    ${printable(event.name)}: ${event.url}`;
    case 'waiting':
      return `    ${colors.dim(`waiting for ${printable(event.name)} (${event.id}) to serve…`)}`;
    case 'ready':
      return `${colors.green('✓')} ${colors.bold(printable(event.name))} (${event.id}) serving after ${formatDuration(event.durationMs)}`;
    case 'wait-failed':
      return `${colors.red('!')} ${colors.bold(printable(event.name))} (${event.id}) ${colors.red('not ready')} after ${formatDuration(event.durationMs)}: ${printable(event.error)}`;
  }
}

function colorOutcome(outcome: Outcome, colors: Colors): string {
  const symbol = OUTCOME_SYMBOLS[outcome];
  switch (outcome) {
    case 'created':
    case 'adopted':
      return colors.green(symbol);
    case 'updated':
    case 'moved':
      return colors.yellow(symbol);
    case 'forgotten':
      return colors.dim(symbol);
    case 'replaced':
    case 'deleted':
      return colors.red(symbol);
  }
}

/** `1 created, 2 updated, 0 replaced, 0 deleted, 0 adopted`, plus `, N moved` and `, N forgotten` when N > 0. */
function countsText(counts: ApplyCounts): string {
  const always = `${counts.created} created, ${counts.updated} updated, ${counts.replaced} replaced, ${counts.deleted} deleted, ${counts.adopted} adopted`;
  const optional = [...(counts.moved > 0 ? [`${counts.moved} moved`] : []), ...(counts.forgotten > 0 ? [`${counts.forgotten} forgotten`] : [])];
  return [always, ...optional].join(', ');
}

/** `0.4s`, `12.3s`, `2m 05s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
