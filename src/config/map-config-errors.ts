/**
 * ajv errors of the config schema as located diagnostics. Deliberately compact: the config is
 * small and shallow. It shares the rule ids, the key suggestions and the allowed keys (read
 * from the one schema) with the endpoint schema's errors in schema/schema-errors.ts.
 */
import type { ErrorObject } from 'ajv';
import { diagnosticAt, type Diagnostic, type LocatedSource } from '../common/diagnostic.js';
import { appendPointer, splitPointer } from '../common/json-pointer.js';
import { allowedKeys } from '../schema/schema-errors.js';
import { suggestKey } from '../schema/suggest-key.js';

/** Mappings whose keys are names the user picks, and what those names are. */
const NAMED_KEYS: { parent: RegExp; what: string; rule: string }[] = [
  { parent: /^(\/environments\/[^/]+)?\/vars$/, what: 'a variable name (letters, digits and _, not starting with a digit)', rule: 'variable-name' },
  {
    parent: /^\/environments$/,
    what: 'an environment name (letters, digits, - and _, up to 63, starting with a letter or digit)',
    rule: 'environment-name',
  },
];

export function mapConfigErrors(errors: readonly ErrorObject[], source: LocatedSource): Diagnostic[] {
  // A value that fits no branch of an anyOf gets one message, not one per branch.
  const branches = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'anyOf' || !branches.has(e.instancePath)).map((error) => mapConfigError(error, source));
}

function mapConfigError(error: ErrorObject, source: LocatedSource): Diagnostic {
  const at = (pointer: string, rule: string, message: string, target: 'key' | 'value' = 'value') =>
    diagnosticAt(source, pointer, rule, message, { target });
  const pointer = error.instancePath;
  const field = `\`${fieldName(pointer)}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const named = NAMED_KEYS.find((n) => n.parent.test(pointer));
      if (named) return at(appendPointer(pointer, key), named.rule, `\`${key}\` is not ${named.what}`, 'key');
      const allowed = allowedKeys('config', error.schemaPath);
      const suggestion = suggestKey(key, allowed);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : ` (allowed: ${allowed.filter((k) => k !== '$schema').join(', ')})`;
      return at(appendPointer(pointer, key), 'unknown-key', `unknown key \`${key}\`${hint}`, 'key');
    }
    case 'type':
      return at(pointer, 'type', `${field} must be ${article(String(params['type']))}`);
    case 'anyOf':
      return at(pointer, 'type', `${field} must be a string, a number or true/false`);
    case 'minimum':
    case 'maximum':
      return at(pointer, 'range', `${field} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}`);
    case 'minItems':
      return at(pointer, 'count', `${field} needs at least ${String(params['limit'])} entry`);
    case 'minLength':
      return at(pointer, 'length', `${field} must not be empty`);
    case 'pattern':
    case 'format':
      if (pointer.endsWith('/apiKeyEnv')) return at(pointer, 'env-var-name', `${field} must be an environment variable name (letters, digits and _)`);
      return at(pointer, 'url', `${field} must be an http:// or https:// URL`);
    default:
      return at(pointer, 'invalid-value', `${field} ${error.message ?? 'is invalid'}`);
  }
}

/** `/specs/0` → `specs[0]`. */
function fieldName(pointer: string): string {
  return (
    splitPointer(pointer).reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '') ||
    'config'
  );
}

const article = (type: string) =>
  type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : `a ${type}`;
