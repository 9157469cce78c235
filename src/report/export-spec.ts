/**
 * The spec file `export` writes for one live endpoint: the editor modeline, a line saying
 * where it came from, then the spec as YAML in the order the API documents its fields.
 */
import { stringify } from 'yaml';
import type { ExportedEndpoint } from '../export/index.js';

export function renderExportedSpec(endpoint: ExportedEndpoint, modeline: string): string {
  const { envs, ...spec } = endpoint.spec;
  const document = envs.length > 0 ? { ...spec, envs } : spec;
  // Keep `healthy` last, where the API documents it, whether or not envs were left out.
  const { healthy, ...rest } = document;
  const header = `${modeline}\n# Exported by \`ppio-deploy export\` from live endpoint ${endpoint.id}. Edit it, then run \`ppio-deploy plan\`.\n`;
  return header + stringify({ ...rest, healthy }, { lineWidth: 0 });
}
