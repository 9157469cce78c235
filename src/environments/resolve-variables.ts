import { diagnosticAt, type Diagnostic } from '../common/diagnostic.js';
import { literalTemplateText, mapTemplateStrings, parseTemplate, usesVariable, type ParsedTemplate } from '../common/template.js';
import { INTEGER_FIELD_POINTER } from '../schema/constants.js';
import type { SpecDocument } from '../spec/types.js';

export interface ResolvedVariable {
  value: string | number | boolean;
  /** Where it was set, as messages name it (`--var X`, `PPIO_VAR_X`, `vars.X`). */
  origin: string;
}

/** A `${var:NAME}`'s value; undefined when nothing sets it. */
export type LookupVariable = (name: string) => ResolvedVariable | undefined;

/** Fields that refuse `${var:…}` (reported by validation): they are left as written. */
const UNRESOLVED_FIELDS = new Set(['/name', '/$schema']);

/**
 * Replaces every `${var:NAME}` in a spec document. Variables are not secret, so this runs
 * before validation, which then sees the values the API will get. A string that is exactly
 * `${var:NAME}` in an integer field becomes that whole number. `${env:…}` stays a template
 * (it is resolved at plan time and kept secret); `$${` stays an escape. `hint(name)` ends
 * the message of a missing variable (where to set it).
 */
export function resolveVariables(
  document: SpecDocument,
  lookup: LookupVariable,
  hint: (name: string) => string = () => '',
): { document: SpecDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (document.withoutTemplates) return { document, diagnostics };
  const report = (pointer: string, rule: string, message: string) => diagnostics.push(diagnosticAt(document, pointer, rule, message));
  const value = mapTemplateStrings(document.value, (text, pointer) => {
    if (UNRESOLVED_FIELDS.has(pointer)) return text;
    const template = parseTemplate(text);
    if (template.problems.length > 0 || !usesVariable(template)) return text;
    const missing = template.parts.flatMap((part) => ('var' in part && lookup(part.var) === undefined ? [part.var] : []));
    for (const name of new Set(missing)) report(pointer, 'missing-variable', `variable \`${name}\` is not set${hint(name)}`);
    if (missing.length > 0) return text;
    if (INTEGER_FIELD_POINTER.test(pointer) && template.parts.length === 1) return wholeNumber(template, pointer, lookup, report);
    return substitute(template, lookup);
  });
  return { document: { ...document, value }, diagnostics };
}

function wholeNumber(
  template: ParsedTemplate,
  pointer: string,
  lookup: LookupVariable,
  report: (pointer: string, rule: string, message: string) => void,
): unknown {
  const name = (template.parts[0] as { var: string }).var;
  const { value, origin } = lookup(name) as ResolvedVariable;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value))) return Number(value);
  const field = pointer.slice(1).replaceAll('/', '.');
  report(pointer, 'variable-not-integer', `\`${field}\` takes a whole number, but variable \`${name}\` (from ${origin}) is ${JSON.stringify(value)}`);
  return value;
}

/** The text with variables filled in; `${env:…}` and literal `${` kept in template form. */
function substitute(template: ParsedTemplate, lookup: LookupVariable): string {
  return template.parts
    .map((part) => {
      if ('var' in part) return literalTemplateText(String((lookup(part.var) as ResolvedVariable).value));
      if ('env' in part) return `\${env:${part.env}}`;
      return literalTemplateText(part.text);
    })
    .join('');
}
