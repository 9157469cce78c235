/** `export`: live endpoints become specs and lockfile entries. Pure; the CLI writes the files. */
export { planExport, type ExportInput } from './plan-export.js';
export * from './types.js';
