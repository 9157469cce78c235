/**
 * The plan as GitHub markdown, for a pull-request comment or $GITHUB_STEP_SUMMARY. The first
 * line is a hidden marker so a workflow can find and update its own comment. The document
 * never exceeds MAX_MARKDOWN_LENGTH: the counts and the table header always stay; table rows
 * and per-endpoint details are cut, with a note saying how many were left out.
 */
import { guardFlag, isGuarded, replaceReasons, type Change, type FieldDiff, type HourlyCost, type Plan } from '../plan/index.js';
import type { Formatter } from './types.js';
import { ESTIMATE_NOTE, costSummaryLine, formatCostPair } from './plan-cost.js';
import { NO_CHANGES, fieldParts, offlineLine, printable, replaceReasonText, summaryLine, unmanagedLine, visibleChanges } from './plan-shared.js';

/**
 * The hidden first line a workflow finds its own comment by: one per environment, so the
 * staging and prod plans of a pull request are two comments, each updated in place.
 */
export const planMarker = (environment: string | null): string =>
  environment === null ? '<!-- ppio-deploy-plan -->' : `<!-- ppio-deploy-plan:${environment} -->`;
/** GitHub refuses comments over 65,536 characters; stay well below. */
export const MAX_MARKDOWN_LENGTH = 60_000;
/** Room kept for the closing omission note. */
const NOTE_RESERVE = 600;
const MAX_WARNING_ITEMS = 20;
const MAX_VALUE_LENGTH = 200;
const MAX_COST_ROWS = 50;

export const formatPlanMarkdown: Formatter<Plan> = (plan, sink) => {
  sink.write(renderPlanMarkdown(plan));
};

function renderPlanMarkdown(plan: Plan): string {
  const title = plan.environment === null ? 'ppio-deploy plan' : `ppio-deploy plan: ${plan.environment}`;
  const head = `${planMarker(plan.environment)}\n## ${title}\n\n${renderNotices(plan)}`;
  const changes = visibleChanges(plan);
  const unmanaged = unmanagedLine(plan);
  const footer = unmanaged === undefined ? '' : `\n${escapeMarkdown(unmanaged)}\n`;
  if (changes.length === 0) return `${head}${NO_CHANGES}\n${footer}`;

  const doc = new BoundedText(MAX_MARKDOWN_LENGTH - NOTE_RESERVE - footer.length);
  doc.append(`${head}**${summaryLine(plan.summary)}**\n\n`);
  doc.append(renderWarnings(changes));
  doc.append('| Endpoint | Action | Impact | Source |\n| --- | --- | --- | --- |\n');
  const rowsShown = doc.appendWhileFits(changes.map(renderRow));
  doc.append('\n');
  doc.append(renderCostTable(plan, changes));
  const detailed = changes.filter((change) => change.fields.length > 0 || change.note);
  const detailsShown = rowsShown === changes.length ? doc.appendWhileFits(detailed.map(renderDetails)) : 0;
  return doc.text() + footer + renderOmissionNote(changes.length - rowsShown, detailed.length - detailsShown);
}

/** What is not a change but must be seen: an offline plan's blind spots, failed endpoints. */
function renderNotices(plan: Plan): string {
  const offline = offlineLine(plan);
  const offlineNote = offline === undefined ? '' : `> [!NOTE]\n> ${offline} (No API key, e.g. a pull request from a fork.)\n\n`;
  if (plan.warnings.length === 0) return offlineNote;
  const items = plan.warnings.slice(0, MAX_WARNING_ITEMS).map((warning) => `> - ${escapeMarkdown(warning.message)}\n`);
  const more = plan.warnings.length > MAX_WARNING_ITEMS ? `> - and ${plan.warnings.length - MAX_WARNING_ITEMS} more\n` : '';
  return `${offlineNote}> [!CAUTION]\n${items.join('')}${more}\n`;
}

/** Appends text up to a length budget. */
class BoundedText {
  private parts: string[] = [];
  private length = 0;
  constructor(private readonly budget: number) {}

  /** For the parts that must always be there (they are short). */
  append(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  /** Appends in order until the next one would not fit; returns how many were appended. */
  appendWhileFits(texts: readonly string[]): number {
    let count = 0;
    for (const text of texts) {
      if (this.length + text.length > this.budget) break;
      this.append(text);
      count += 1;
    }
    return count;
  }

  text(): string {
    return this.parts.join('');
  }
}

function renderWarnings(changes: readonly Change[]): string {
  const guarded = changes.filter((change) => isGuarded(change.action));
  if (guarded.length === 0) return '';
  const items = guarded.slice(0, MAX_WARNING_ITEMS).map((change) => `> - ${describeGuarded(change)}\n`);
  const more = guarded.length > MAX_WARNING_ITEMS ? `> - and ${guarded.length - MAX_WARNING_ITEMS} more\n` : '';
  return (
    '> [!WARNING]\n' +
    '> This plan deletes, replaces or takes over endpoints. `ppio-deploy apply` holds these changes back, and applies the rest, ' +
    'unless it runs with the flag each names. A replaced endpoint gets a new URL.\n>\n' +
    items.join('') +
    more +
    '\n'
  );
}

function describeGuarded(change: Change): string {
  const name = `**${escapeMarkdown(change.name)}**`;
  const flag = isGuarded(change.action) ? ` (needs \`${guardFlag(change.action)}\`)` : '';
  if (change.action === 'delete') return `${name} is deleted${flag}`;
  if (change.action === 'adopt')
    return `${name} takes over live endpoint ${escapeMarkdown(change.id ?? '')}, which the lockfile does not record${flag}`;
  const reasons = replaceReasons(change.fields).join(', ');
  return `${name} is replaced (${reasons} cannot change in place): its clients get a new URL${flag}`;
}

function renderRow(change: Change): string {
  const name = change.from === undefined ? escapeMarkdown(change.name) : `${escapeMarkdown(change.from)} → ${escapeMarkdown(change.name)}`;
  const action = isGuarded(change.action) ? `${change.action} (needs \`${guardFlag(change.action)}\`)` : change.action;
  const cells = [name, action, change.impact, escapeMarkdown(change.source)];
  return `| ${cells.join(' | ')} |\n`;
}

/** Floor and ceiling per changed endpoint, then the totals; or one line saying why cost is unknown. */
function renderCostTable(plan: Plan, changes: readonly Change[]): string {
  if (plan.cost === undefined) return '';
  const total = plan.cost.total;
  if (!total) return `${escapeMarkdown(costSummaryLine(plan))}\n\n`;
  const row = (name: string, cost: HourlyCost) =>
    `| ${name} | ${escapeMarkdown(formatCostPair(cost.floor, cost.currency))} | ${escapeMarkdown(formatCostPair(cost.ceiling, cost.currency))} |\n`;
  const rows = changes.slice(0, MAX_COST_ROWS).flatMap((change) => (change.cost ? [row(escapeMarkdown(change.name), change.cost)] : []));
  const more = changes.length > MAX_COST_ROWS ? `| … ${changes.length - MAX_COST_ROWS} more | | |\n` : '';
  const partly = plan.cost.unknownReason ? ` Partly unknown: ${escapeMarkdown(plan.cost.unknownReason)}.` : '';
  return (
    '| Cost per hour | Floor (minNum) | Ceiling (maxNum) |\n| --- | --- | --- |\n' +
    rows.join('') +
    more +
    row('**All managed endpoints**', total) +
    `\n<sub>${escapeMarkdown(ESTIMATE_NOTE)}${partly}</sub>\n\n`
  );
}

function renderDetails(change: Change): string {
  const count = change.fields.length === 1 ? '1 field' : `${change.fields.length} fields`;
  const summary = `<code>${escapeHtml(change.name)}</code>: ${change.action}, ${change.impact}, ${count}`;
  const lines = [
    ...(change.note ? [`# ${printable(change.note)}`] : []),
    ...(change.action === 'replace' ? replaceReasons(change.fields).map((field) => `# ${replaceReasonText(field)}`) : []),
    ...change.fields.flatMap(renderFieldLines),
  ];
  return `<details>\n<summary>${summary}</summary>\n\n${fenced('diff', lines.join('\n'))}\n\n</details>\n\n`;
}

/** A changed field is a `-` and a `+` line, so GitHub's diff highlighting colours both. */
function renderFieldLines(field: FieldDiff): string[] {
  const parts = fieldParts(field, MAX_VALUE_LENGTH);
  const before = `- ${parts.path}: ${parts.before}${parts.drift}`;
  const after = `+ ${parts.path}: ${parts.after}`;
  switch (parts.kind) {
    case 'added':
      return [after];
    case 'removed':
      return [before];
    case 'changed':
      return [before, after];
  }
}

function renderOmissionNote(rowsOmitted: number, detailsOmitted: number): string {
  if (rowsOmitted === 0 && detailsOmitted === 0) return '';
  const parts = [
    ...(rowsOmitted > 0 ? [`${rowsOmitted} ${plural(rowsOmitted, 'change')} omitted from the table`] : []),
    ...(detailsOmitted > 0 ? [`the details of ${detailsOmitted} ${plural(detailsOmitted, 'change')} omitted`] : []),
  ];
  return `> [!NOTE]\n> ${parts.join(', and ')} to keep this under ${MAX_MARKDOWN_LENGTH.toLocaleString('en-US')} characters. Run \`ppio-deploy plan\` for the full plan.\n`;
}

const plural = (count: number, noun: string): string => (count === 1 ? noun : `${noun}s`);

/**
 * A code fence longer than any backtick run inside, so no value can close it early
 * (CommonMark: a fence closes only with at least as many backticks).
 */
function fenced(language: string, body: string): string {
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${body}\n${fence}`;
}

/**
 * Inline text from specs: markdown punctuation is escaped (`|` would split a table cell,
 * `$` starts math on GitHub, `<` raw HTML), and control characters cannot end the line.
 */
const escapeMarkdown = (text: string): string => printable(text).replace(/[\\`*_[\]<>|~&$#!]/g, (char) => `\\${char}`);

const escapeHtml = (text: string): string => printable(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
