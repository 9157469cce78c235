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
  driftMarker,
  guardedText,
  fieldKind,
  formatValue,
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
  return renderFieldChange(field, colors) + colors.magenta(driftMarker(field));
}

function renderFieldChange(field: FieldDiff, colors: Colors): string {
  const path = printable(field.path);
  switch (fieldKind(field)) {
    case 'added':
      return `${FIELD_INDENT}${colors.green('+')} ${path}: ${formatValue(field.after, field, MAX_VALUE_LENGTH)}`;
    case 'removed':
      return `${FIELD_INDENT}${colors.red('-')} ${path}: ${formatValue(field.before, field, MAX_VALUE_LENGTH)}`;
    case 'changed':
      return `${FIELD_INDENT}${colors.yellow('~')} ${path}: ${formatValue(field.before, field, MAX_VALUE_LENGTH)} → ${formatValue(field.after, field, MAX_VALUE_LENGTH)}`;
  }
}

const comment = (text: string, colors: Colors): string => `${FIELD_INDENT}${colors.dim(`# ${printable(text)}`)}`;
