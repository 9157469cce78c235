/**
 * The human status, kubectl-get-like: one row per managed endpoint (name, id, state,
 * running/min/max workers, drift, URL) with the platform's failure message or the drifted
 * fields under it, then the live endpoints nobody manages, then a one-line summary.
 */
import pc from 'picocolors';
import type { EndpointStatus, ManagedStatus, StatusReport } from '../status/index.js';
import { printable } from './plan-shared.js';
import type { Formatter } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

const MANAGED_HEADER = ['NAME', 'ID', 'STATE', 'RUNNING/MIN/MAX', 'DRIFT', 'URL'];
const UNMANAGED_HEADER = ['NAME', 'ID', 'STATE', 'RUNNING/MIN/MAX', 'URL'];
const DETAIL_INDENT = '  ';

export const formatStatusText: Formatter<StatusReport> = (report, sink, options) => {
  const colors = pc.createColors(options.color);
  if (report.environment !== null) sink.write(`Environment: ${printable(report.environment)}\n`);
  if (report.endpoints.length === 0) sink.write('No endpoints are managed yet (the lockfile records none).\n');
  else sink.write(renderTable(MANAGED_HEADER, report.endpoints, colors, managedRow, managedDetails));
  if (report.unmanaged.length > 0) {
    sink.write(`\nNot managed by this project (${report.unmanaged.length}):\n`);
    sink.write(
      renderTable(UNMANAGED_HEADER, report.unmanaged, colors, (endpoint) => [...liveColumns(endpoint, colors), endpoint.url], failureDetails),
    );
  }
  sink.write(`\n${summaryLine(report)}\n`);
};

type Row = string[];

function renderTable<T extends EndpointStatus>(
  header: Row,
  endpoints: readonly T[],
  colors: Colors,
  row: (endpoint: T, colors: Colors) => Row,
  details: (endpoint: T, colors: Colors) => string[],
): string {
  const rows = endpoints.map((endpoint) => row(endpoint, colors));
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => visibleLength(cells[column] ?? ''))));
  const line = (cells: Row) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [line(header)];
  endpoints.forEach((endpoint, index) => {
    lines.push(line(rows[index] ?? []));
    lines.push(...details(endpoint, colors).map((detail) => `${DETAIL_INDENT}${detail}`));
  });
  return `${lines.join('\n')}\n`;
}

function managedRow(endpoint: ManagedStatus, colors: Colors): Row {
  return [...liveColumns(endpoint, colors), endpoint.drifted ? colors.yellow('drifted') : '-', endpoint.url];
}

function liveColumns(endpoint: EndpointStatus, colors: Colors): Row {
  const workers = endpoint.workers ? `${endpoint.workers.running}/${endpoint.workers.min}/${endpoint.workers.max}` : '-';
  return [printable(endpoint.name) || '(no name)', endpoint.id, colorState(endpoint.state, colors), workers];
}

function managedDetails(endpoint: ManagedStatus, colors: Colors): string[] {
  const details = failureDetails(endpoint, colors);
  if (endpoint.state === 'missing') details.push(colors.dim('# not found live: deleted outside ppio-deploy? `ppio-deploy plan` shows it re-created'));
  if (endpoint.drifted) details.push(colors.dim(`# changed outside ppio-deploy: ${endpoint.driftedFields.map(printable).join(', ')}`));
  return details;
}

const failureDetails = (endpoint: EndpointStatus, colors: Colors): string[] =>
  endpoint.message === undefined ? [] : [colors.red(`# ${printable(endpoint.message)}`)];

function colorState(state: string, colors: Colors): string {
  const shown = printable(state);
  if (state === 'serving') return colors.green(shown);
  if (state === 'failed' || state === 'missing') return colors.red(shown);
  return colors.yellow(shown);
}

function summaryLine({ summary }: StatusReport): string {
  const others = summary.managed - summary.serving - summary.failed - summary.missing;
  const states = [`${summary.serving} serving`, `${summary.failed} failed`, `${summary.missing} missing`];
  if (others > 0) states.push(`${others} not ready`);
  return `Status: ${summary.managed} managed (${states.join(', ')}), ${summary.drifted} drifted, ${summary.unmanaged} not managed.`;
}

const ANSI = /\u001b\[[0-9;]*m/g;
const visibleLength = (text: string): number => text.replace(ANSI, '').length;
const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - visibleLength(text)));
