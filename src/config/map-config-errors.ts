/**
 * ajv errors of the config schema as located diagnostics. Deliberately compact: the config has
 * five flat keys. (src/schema's mapSchemaErrors handles the endpoint schema's richer cases and
 * uses the same rule ids, so the two could later be merged.)
 */
import type { ErrorObject } from 'ajv';
import { diagnosticAt, type Diagnostic, type LocatedSource } from '../common/diagnostic.js';
import { appendPointer, splitPointer } from '../common/json-pointer.js';
import { suggestKey } from '../schema/suggest-key.js';

const CONFIG_KEYS = ['$schema', 'specs', 'lockfile', 'baseUrl', 'concurrency'] as const;

export function mapConfigErrors(errors: readonly ErrorObject[], source: LocatedSource): Diagnostic[] {
  return errors.map((error) => mapConfigError(error, source));
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
      const suggestion = suggestKey(key, CONFIG_KEYS);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : ` (allowed: ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')})`;
      return at(appendPointer(pointer, key), 'unknown-key', `unknown key \`${key}\`${hint}`, 'key');
    }
    case 'type':
      return at(pointer, 'type', `${field} must be ${article(String(params['type']))}`);
    case 'minimum':
    case 'maximum':
      return at(pointer, 'range', `${field} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params['limit'])}`);
    case 'minItems':
      return at(pointer, 'count', `${field} needs at least ${String(params['limit'])} entry`);
    case 'minLength':
      return at(pointer, 'length', `${field} must not be empty`);
    case 'pattern':
    case 'format':
      return at(pointer, 'url', `${field} must be an http:// or https:// URL`);
    default:
      return at(pointer, 'invalid-value', `${field} ${error.message ?? 'is invalid'}`);
  }
}

/** `/specs/0` → `specs[0]`. */
function fieldName(pointer: string): string {
  return splitPointer(pointer).reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '') || 'config';
}

const article = (type: string) => (type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : `a ${type}`);
