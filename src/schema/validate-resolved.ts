import type { Diagnostic } from '../common/diagnostic.js';
import type { SpecDocument } from '../spec/types.js';
import { validateEndpoint } from './compiled-validators.js';
import type { EndpointConfig } from './endpoint-config.js';
import { checkDocumentRules, checkUniqueNames } from './project-rules.js';
import { mapSchemaErrors } from './schema-errors.js';

/** One spec with its `${…}` values filled in, and the document it was written in. */
export interface ResolvedSpec {
  document: SpecDocument;
  config: EndpointConfig;
  /** Pointers of values filled from `${env:…}`: messages about them never quote the value. */
  sensitivePaths: readonly string[];
}

/**
 * The errors of `validate`, checked again once every `${…}` is filled in: a variable can turn
 * a valid template into a value the API refuses (an empty product id, a 600-character image,
 * two env keys that become one). Each error points at the line of the template.
 * Warnings are not repeated: `validate` reported them on the templates.
 */
export function validateResolved(specs: readonly ResolvedSpec[]): Diagnostic[] {
  const views = specs.map((spec) => ({ spec, document: resolvedView(spec) }));
  const found: Diagnostic[] = [];
  const record = (spec: ResolvedSpec, diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) if (d.severity === 'error') found.push(explain(d, spec.sensitivePaths));
  };
  for (const { spec, document } of views) {
    // Without a template nothing was filled in: `validate` checked these very values.
    if (spec.document.withoutTemplates) continue;
    if (!validateEndpoint(document.value)) record(spec, mapSchemaErrors(validateEndpoint.errors ?? [], document));
    record(spec, checkDocumentRules(document));
  }
  const specOf = new Map(views.map(({ spec, document }) => [document, spec]));
  for (const { document, diagnostic } of checkUniqueNames(views.map((view) => view.document))) record(specOf.get(document)!, [diagnostic]);
  return found;
}

/** The document as written, holding the resolved value (same pointers, so the same lines). */
function resolvedView({ document, config }: ResolvedSpec): SpecDocument {
  return { ...document, value: config, locate: (pointer, target) => document.locate(pointer, target) };
}

function explain(diagnostic: Diagnostic, sensitivePaths: readonly string[]): Diagnostic {
  const secret = sensitivePaths.some((p) => diagnostic.path === p || diagnostic.path.startsWith(`${p}/`));
  // A length names no value; any other message might quote the secret.
  const message =
    secret && diagnostic.rule !== 'length'
      ? `the value at ${diagnostic.path} breaks rule ${diagnostic.rule}; it comes from \${env:…}, so it is not shown`
      : diagnostic.message;
  return { ...diagnostic, message: `${message} (once \${…} is filled in)` };
}
