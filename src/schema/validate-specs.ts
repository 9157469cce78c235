import type { Diagnostic } from '../common/diagnostic.js';
import { findInterpolationProblems } from '../common/template.js';
import type { Spec } from './definitions.js';
import type { SpecDocument, ValidSpec } from '../spec/types.js';
import { validateEndpoint } from './compiled-validators.js';
import { checkDocumentRules, checkUniqueNames } from './project-rules.js';
import { mapSchemaErrors } from './schema-errors.js';

export interface SpecValidation {
  /** Documents without any error, typed as specs, in input order. */
  valid: ValidSpec[];
  /** Errors and warnings, in input order (sort them for display). */
  diagnostics: Diagnostic[];
}

/**
 * The offline checks of every spec document: the schema (precompiled), malformed `${…}`,
 * the rules inside one document, and uniqueness across the project. Never throws for a
 * user mistake.
 */
export function validateSpecs(documents: readonly SpecDocument[]): SpecValidation {
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<SpecDocument>();
  const record = (document: SpecDocument, found: readonly Diagnostic[]) => {
    for (const diagnostic of found) {
      diagnostics.push(diagnostic);
      if (diagnostic.severity === 'error') failed.add(document);
    }
  };

  for (const document of documents) {
    if (!validateEndpoint(document.value)) record(document, mapSchemaErrors(validateEndpoint.errors ?? [], document));
    record(document, findInterpolationProblems(document));
    record(document, checkDocumentRules(document));
  }
  for (const { document, diagnostic } of checkUniqueNames(documents)) record(document, [diagnostic]);

  const valid = documents.filter((document) => !failed.has(document)).map((document) => ({ document, spec: document.value as Spec }));
  return { valid, diagnostics };
}
