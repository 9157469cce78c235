/**
 * ajv errors of the config schema as located diagnostics. Deliberately compact: the config has
 * five flat keys. (src/schema's mapSchemaErrors handles the endpoint schema's richer cases and
 * uses the same rule ids, so the two could later be merged.)
 */
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../common/diagnostic.js';
import { makeDiagnostic, type LocateFunction } from '../spec/index.js';

export const CONFIG_KEYS = ['$schema', 'specs', 'lockfile', 'baseUrl', 'concurrency'] as const;

export interface ConfigSource {
  file: string;
  locate: LocateFunction;
}

export function mapConfigErrors(errors: readonly ErrorObject[], source: ConfigSource): Diagnostic[] {
  return errors.map((error) => mapConfigError(error, source));
}

function mapConfigError(error: ErrorObject, source: ConfigSource): Diagnostic {
  const at = (pointer: string, rule: string, message: string, target: 'key' | 'value' = 'value') =>
    makeDiagnostic(rule, message, source.file, source.locate(pointer, target), pointer);
  const pointer = error.instancePath;
  const field = `\`${fieldName(pointer)}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const suggestion = suggestConfigKey(key);
      const hint = suggestion ? ` (did you mean \`${suggestion}\`?)` : ` (allowed: ${CONFIG_KEYS.filter((k) => k !== '$schema').join(', ')})`;
      return at(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'unknown-key', `unknown key \`${key}\`${hint}`, 'key');
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
      return at(pointer, 'url', `${field} must be an http:// or https:// URL`);
    default:
      return at(pointer, 'invalid-value', `${field} ${error.message ?? 'is invalid'}`);
  }
}

/** `/specs/0` → `specs[0]`. */
function fieldName(pointer: string): string {
  const segments = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  return segments.reduce((name, segment) => (/^\d+$/.test(segment) ? `${name}[${segment}]` : name ? `${name}.${segment}` : segment), '') || 'config';
}

const article = (type: string) => (type === 'array' ? 'a list' : type === 'object' ? 'a mapping' : type === 'integer' ? 'a whole number' : `a ${type}`);

/** The config key closest to a typo (at most a third of its letters off), if any. */
export function suggestConfigKey(key: string): string | undefined {
  const wanted = key.toLowerCase();
  const tolerance = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of CONFIG_KEYS) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= tolerance && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
