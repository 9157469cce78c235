import { EndpointSpecSchema, ProjectConfigSchema } from './definitions.js';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The committed schema files, by file name, as exact text (two-space indent, newline). */
export function renderSchemas(): Record<string, string> {
  return {
    'endpoint.schema.json': render(EndpointSpecSchema),
    'config.schema.json': render(ProjectConfigSchema),
  };
}

function render(schema: object): string {
  // TypeBox keeps its bookkeeping under symbol keys, which JSON.stringify drops.
  return `${JSON.stringify({ $schema: DRAFT, ...schema }, null, 2)}\n`;
}
