/**
 * What `export` tells the user: the files written, the endpoints left out and why, and the
 * variables to set. Names of variables only — their values stay in the live endpoints.
 */
import type { ExportPlan } from '../export/index.js';
import { printable } from './plan-shared.js';
import type { Formatter } from './types.js';

export interface ExportSummary {
  plan: ExportPlan;
  /** The lockfile as the user names it. */
  lockfile: string;
  /** The other environments of the project, which share the spec files. */
  otherEnvironments: string[];
}

export const formatExportText: Formatter<ExportSummary> = ({ plan, lockfile, otherEnvironments }, sink) => {
  const lines: string[] = [];
  if (plan.endpoints.length === 0)
    lines.push(plan.skipped.length === 0 ? 'Nothing to export: every live endpoint is managed already.' : 'Nothing was exported.');
  else {
    lines.push(`Exported ${plan.endpoints.length} endpoint(s) and recorded them in ${lockfile}:`);
    lines.push(...plan.endpoints.map((endpoint) => `  + ${printable(endpoint.file)}  ${printable(endpoint.name)}  (${endpoint.id})`));
  }
  if (plan.skipped.length > 0) {
    lines.push(`Left out ${plan.skipped.length}:`);
    lines.push(...plan.skipped.map((skipped) => `  - ${printable(skipped.name) || '(no name)'} (${skipped.id}): ${printable(skipped.reason)}`));
  }
  if (plan.variables.length > 0) {
    lines.push('', 'Secret-looking env values were written as ${env:…} placeholders, never as values. Set these variables');
    lines.push('(to the values the endpoints hold now) wherever you plan and apply, e.g. as CI secrets:');
    lines.push(
      ...plan.variables.map(
        (variable) => `  ${variable.variable}  (env ${printable(variable.key)} of ${variable.endpoints.map(printable).join(', ')})`,
      ),
    );
  }
  if (plan.endpoints.length > 0 && otherEnvironments.length > 0) {
    lines.push(
      '',
      `The spec files are shared by every environment: plans of ${otherEnvironments.map(printable).join(', ')} would create these endpoints`,
    );
    lines.push('there too, unless they leave them out (`endpoints: {exclude: [...]}` in their environment) or patch them.');
  }
  if (plan.endpoints.length > 0) lines.push('', 'Then `ppio-deploy plan` shows no changes. Commit the files and the lockfile.');
  sink.write(`${lines.join('\n')}\n`);
};
