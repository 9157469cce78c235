/**
 * `${env:NAME}` and `${var:NAME}` templates in string values: the one grammar every stage
 * reads them with. `${env:…}` is a secret from the process environment; `${var:…}` is a
 * non-secret project variable, resolved before validation. `$${` writes a literal `${`; any
 * other `${…}` is a mistake (`${HOME}`, `${env:}`, an unclosed `${env:A`), reported rather
 * than left as text.
 */
import { diagnosticAt, type Diagnostic, type LocatedSource, type ParsedSource } from './diagnostic.js';
import { joinPointer } from './json-pointer.js';

export type TemplatePart = { text: string } | { env: string } | { var: string };

export interface ParsedTemplate {
  parts: TemplatePart[];
  /** True when at least one `${env:…}` occurs: the whole value is then sensitive. */
  interpolated: boolean;
  /** Malformed `${…}` forms, as messages. */
  problems: string[];
}

const REFERENCE = /^(env|var):([A-Za-z_][A-Za-z0-9_]*)$/;

/** Fields that name the endpoint in every output and in the lockfile: they cannot hold secrets. */
const NO_SECRET_FIELDS = new Set(['/name', '/appName', '/$schema']);
/** Patches and the lockfile find an endpoint by its `name`, before any variable is resolved. */
const NO_VARIABLE_FIELDS = new Set(['/name', '/$schema']);

/** Cheap pre-check: a value without `${` is plain text and need not be parsed. */
export const mayHoldTemplate = (value: string): boolean => value.includes('${');

/** Whether the value holds a well-formed `${env:NAME}`: it is filled from the environment, so it is secret. */
export const isTemplated = (value: string): boolean => mayHoldTemplate(value) && parseTemplate(value).interpolated;

/** Spec text that reads back as exactly `value`: every `${` written as `$${`, so nothing is interpolated. */
export const literalTemplateText = (value: string): string => value.split('${').join('$${');

export const usesVariable = (template: ParsedTemplate): boolean => template.parts.some((part) => 'var' in part);

export function parseTemplate(value: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let text = '';
  let i = 0;
  while (i < value.length) {
    if (value.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (value.startsWith('${', i)) {
      const close = value.indexOf('}', i + 2);
      if (close === -1) {
        problems.push(`\`${value.slice(i)}\` is not closed with \`}\`; write \`\${env:NAME}\`, or \`$\${\` for a literal \`\${\``);
        text += value.slice(i);
        break;
      }
      const inner = value.slice(i + 2, close);
      const reference = REFERENCE.exec(inner);
      if (reference === null) {
        problems.push(
          `\`\${${inner}}\` is not a valid interpolation; write \`\${env:NAME}\` or \`\${var:NAME}\` (NAME: letters, digits, _), or \`$\${\` for a literal \`\${\``,
        );
      } else {
        if (text) parts.push({ text });
        text = '';
        const name = reference[2] as string;
        parts.push(reference[1] === 'env' ? { env: name } : { var: name });
      }
      i = close + 1;
    } else {
      text += value[i];
      i++;
    }
  }
  if (text) parts.push({ text });
  return { parts, interpolated: parts.some((part) => 'env' in part), problems };
}

/**
 * `value` with `map(text, pointer)` applied to every string that may hold a template (`${`).
 * Most strings of a spec hold none: their pointers are never built, and only the objects and
 * lists on the way to a changed string are copied (the input is never modified).
 */
export function mapTemplateStrings(value: unknown, map: (text: string, pointer: string) => unknown): unknown {
  const path: (string | number)[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return mayHoldTemplate(node) ? map(node, joinPointer('', ...path)) : node;
    if (node === null || typeof node !== 'object') return node;
    // Index loops: `for…of` over entries() / Object.entries() allocated ~3× the time here.
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    const length = keys === undefined ? (node as unknown[]).length : keys.length;
    let copy: Record<string | number, unknown> | undefined;
    for (let i = 0; i < length; i++) {
      const key = keys === undefined ? i : (keys[i] as string);
      const child = (node as Record<string | number, unknown>)[key];
      path.push(key);
      const mapped = walk(child);
      path.pop();
      if (mapped === child) continue;
      copy ??= (Array.isArray(node) ? [...node] : { ...node }) as Record<string | number, unknown>;
      copy[key] = mapped;
    }
    return copy ?? node;
  };
  return walk(value);
}

/**
 * Malformed `${…}` forms and interpolation where it is not allowed, in a parsed document.
 * Offline: the variables need not be set (used by `validate`).
 */
export function findInterpolationProblems(document: ParsedSource): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (document.withoutTemplates) return diagnostics;
  mapTemplateStrings(document.value, (text, pointer) => {
    diagnostics.push(...templateDiagnostics(parseTemplate(text), document, pointer));
    return text;
  });
  return diagnostics;
}

/** The problems of one parsed value at `pointer`: its malformed forms, and interpolation in a naming field. */
export function templateDiagnostics(template: ParsedTemplate, source: LocatedSource, pointer: string): Diagnostic[] {
  const diagnostics = template.problems.map((message) => diagnosticAt(source, pointer, 'bad-interpolation', message));
  const field = pointer.slice(1);
  if (template.interpolated && NO_SECRET_FIELDS.has(pointer)) {
    const message = `\`${field}\` cannot use \${env:…}: it identifies the endpoint in plans, logs and the lockfile, and interpolated values are secret`;
    diagnostics.push(diagnosticAt(source, pointer, 'interpolation-not-allowed', message));
  }
  if (usesVariable(template) && NO_VARIABLE_FIELDS.has(pointer)) {
    const message = `\`${field}\` cannot use \${var:…}: patches and the lockfile find the endpoint by its name; use a variable in \`appName\` instead`;
    diagnostics.push(diagnosticAt(source, pointer, 'interpolation-not-allowed', message));
  }
  return diagnostics;
}
