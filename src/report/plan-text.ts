/**
 * The human plan, Terraform-like: one header per change (`+` create, `~` update, `-/+`
 * replace, `-` delete, `<=` adopt), its field diffs, then the `Plan: …` line.
 */
import pc from 'picocolors';
import { isGuarded, replaceReasons, type Action, type Change, type FieldDiff, type Plan } from '../plan/index.js';
import type { Formatter } from './types.js';
import { costChanges, costSummaryLine, describeCost } from './plan-cost.js';
import {
  ACTION_SYMBOLS,
  NO_CHANGES,
  fieldParts,
  guardedText,
  type FieldParts,
  printable,
  replaceReasonText,
  summaryLine,
  unmanagedLine,
  visibleChanges,
} from './plan-shared.js';

const MAX_VALUE_LENGTH = 120;
const FIELD_INDENT = '      ';

type Colors = ReturnType<typeof pc.createColors>;

export const formatPlanText: Formatter<Plan> = (plan, sink, options) => {
  const colors = pc.createColors(options.color);
  const changes = visibleChanges(plan);
  const warnings = plan.warnings.map((warning) => `${colors.yellow('Warning:')} ${printable(warning.message)}\n`).join('');
  const unmanaged = unmanagedLine(plan);
  const footer = unmanaged === undefined ? '' : `${colors.dim(unmanaged)}\n`;
  if (changes.length === 0) {
    sink.write(`${warnings}${NO_CHANGES}\n${footer}`);
    return;
  }
  const body = changes.map((change) => `${renderChange(change, colors)}\n`).join('');
  const cost = costSummaryLine(plan);
  sink.write(`${warnings}${body}${cost ? `${cost}\n` : ''}${summaryLine(plan.summary)}\n${footer}`);
};

function renderChange(change: Change, colors: Colors): string {
  const lines = [renderHeader(change, colors)];
  if (isGuarded(change.action)) lines.push(comment(guardedText(change.action), colors));
  if (change.note) lines.push(comment(change.note, colors));
  if (change.action === 'replace') lines.push(...replaceReasons(change.fields).map((field) => comment(replaceReasonText(field), colors)));
  lines.push(...change.fields.map((field) => renderField(field, colors)));
  if (change.cost && costChanges(change.cost)) lines.push(comment(`cost: ${describeCost(change.cost)}`, colors));
  return `${lines.join('\n')}\n`;
}

function renderHeader(change: Change, colors: Colors): string {
  // Symbols right-align in three columns, as Terraform's do; the padding is added before colouring.
  const symbol = ' '.repeat(3 - ACTION_SYMBOLS[change.action].length) + colorSymbol(change.action, colors);
  const where = change.id ? `${change.source}, id ${change.id}` : change.source;
  const name =
    change.from === undefined ? colors.bold(printable(change.name)) : `${printable(change.from)} -> ${colors.bold(printable(change.name))}`;
  return `${symbol} ${change.action} ${name}  (${printable(where)})  [${change.impact}]`;
}

function colorSymbol(action: Action, colors: Colors): string {
  switch (action) {
    case 'create':
      return colors.green('+');
    case 'update':
      return colors.yellow('~');
    case 'replace':
      return `${colors.red('-')}/${colors.green('+')}`;
    case 'delete':
      return colors.red('-');
    case 'adopt':
      return colors.cyan(ACTION_SYMBOLS.adopt);
    case 'move':
      return colors.yellow(ACTION_SYMBOLS.move);
    case 'forget':
      return colors.dim(ACTION_SYMBOLS.forget);
    case 'noop':
      return ACTION_SYMBOLS.noop;
  }
}

function renderField(field: FieldDiff, colors: Colors): string {
  const parts = fieldParts(field, MAX_VALUE_LENGTH);
  return renderFieldChange(parts, colors) + colors.magenta(parts.drift);
}

function renderFieldChange({ kind, path, before, after }: FieldParts, colors: Colors): string {
  switch (kind) {
    case 'added':
      return `${FIELD_INDENT}${colors.green('+')} ${path}: ${after}`;
    case 'removed':
      return `${FIELD_INDENT}${colors.red('-')} ${path}: ${before}`;
    case 'changed':
      return `${FIELD_INDENT}${colors.yellow('~')} ${path}: ${before} → ${after}`;
  }
}

const comment = (text: string, colors: Colors): string => `${FIELD_INDENT}${colors.dim(`# ${printable(text)}`)}`;
