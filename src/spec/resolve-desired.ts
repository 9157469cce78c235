import { diagnosticAt, type Diagnostic } from '../common/diagnostic.js';
import { splitPointer } from '../common/json-pointer.js';
import { cloneJson } from '../common/record.js';
import { MIN_SECRET_LENGTH } from '../common/secrets.js';
import { mapTemplateStrings, parseTemplate, templateDiagnostics, type ParsedTemplate } from '../common/template.js';
import type { Spec } from '../schema/definitions.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { normalizeSpec } from './normalize-spec.js';
import type { DesiredEndpoint, SpecDocument, ValidSpec } from './types.js';

interface SensitiveValue {
  pointer: string;
  /** The value as written, `${env:…}` included: what the lockfile and plan files may hold. */
  template: string;
}

/**
 * Turns validated specs into desired endpoints: `${env:NAME}` replaced from `env` (a missing
 * variable is an error at its value), normalised, and a `recorded` copy that keeps each
 * interpolated value as its template. Specs with errors yield no endpoint.
 */
export function resolveDesired(documents: readonly ValidSpec[], env: NodeJS.ProcessEnv): { desired: DesiredEndpoint[]; diagnostics: Diagnostic[] } {
  const desired: DesiredEndpoint[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { document, spec } of documents) {
    const resolution = resolveSpec(document, spec, env);
    diagnostics.push(...resolution.diagnostics);
    if (resolution.diagnostics.some((d) => d.severity === 'error')) continue;
    desired.push(toDesiredEndpoint(document, resolution.spec, resolution.sensitive));
  }
  return { desired, diagnostics };
}

function toDesiredEndpoint(document: SpecDocument, spec: Spec, sensitive: SensitiveValue[]): DesiredEndpoint {
  const config = normalizeSpec(spec);
  const recorded = cloneJson(config);
  const sensitivePaths: string[] = [];
  for (const { pointer, template } of sensitive) {
    // An interpolated optional string that resolved to '' was dropped by normalisation.
    if (replaceAt(recorded, pointer, template)) sensitivePaths.push(pointer);
  }
  return { name: config.name, source: document.file, config, recorded, sensitivePaths };
}

function resolveSpec(document: SpecDocument, spec: Spec, env: NodeJS.ProcessEnv) {
  const diagnostics: Diagnostic[] = [];
  const sensitive: SensitiveValue[] = [];
  if (document.withoutTemplates) return { spec, sensitive, diagnostics };
  const resolveString = (text: string, pointer: string): string => {
    if (pointer === '/$schema') return text;
    const template = parseTemplate(text);
    diagnostics.push(...templateDiagnostics(template, document, pointer));
    if (template.interpolated) sensitive.push({ pointer, template: text });
    return substitute(template, env, (rule, message, severity) => diagnostics.push(diagnosticAt(document, pointer, rule, message, { severity })));
  };
  const resolved = mapTemplateStrings(spec, resolveString) as Spec;
  return { spec: resolved, sensitive, diagnostics };
}

type Report = (rule: string, message: string, severity: Diagnostic['severity']) => void;

function substitute(template: ParsedTemplate, env: NodeJS.ProcessEnv, report: Report): string {
  let result = '';
  for (const part of template.parts) {
    if ('text' in part) {
      result += part.text;
      continue;
    }
    // Variables were resolved before validation; one left here is in a field that refuses it.
    if ('var' in part) {
      result += `\${var:${part.var}}`;
      continue;
    }
    const value = env[part.env];
    if (value === undefined) {
      report('missing-env', `environment variable \`${part.env}\` is not set`, 'error');
    } else {
      if (value === '') report('empty-env', `environment variable \`${part.env}\` is set but empty`, 'warning');
      else if (value.length < MIN_SECRET_LENGTH) report('short-secret', shortSecretMessage(part.env, value), 'error');
      result += value;
    }
  }
  return result;
}

function shortSecretMessage(variable: string, value: string): string {
  return (
    `environment variable \`${variable}\` holds ${value.length} character(s): a \${env:…} value must be empty or at least ` +
    `${MIN_SECRET_LENGTH} characters, because hiding a shorter one would rewrite ordinary text in the output; ` +
    'if it is not a secret, use ${var:…} or write it in the spec'
  );
}

/** Sets the string at `pointer` when that path exists; returns whether it did. */
function replaceAt(root: EndpointConfig, pointer: string, replacement: string): boolean {
  const segments = splitPointer(pointer);
  const last = segments.pop();
  let container: unknown = root;
  for (const segment of segments) {
    if (container === null || typeof container !== 'object' || !Object.hasOwn(container, segment)) return false;
    container = (container as Record<string, unknown>)[segment];
  }
  if (last === undefined || container === null || typeof container !== 'object' || !Object.hasOwn(container, last)) return false;
  (container as Record<string, unknown>)[last] = replacement;
  return true;
}
