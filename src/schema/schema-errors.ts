/**
 * Turns ajv's errors into one clear diagnostic per problem, located at the offending key or
 * value. ajv reports every failed branch of an `anyOf` and every `if` it evaluated; a person
 * needs only the branch that fits the value they wrote.
 */
import type { ErrorObject } from 'ajv';
import { diagnosticAt, type Diagnostic, type ParsedSource } from '../common/diagnostic.js';
import { joinPointer, parentPointer, splitPointer, valueAtPointer } from '../common/json-pointer.js';
import { isSecretEnvKey } from '../common/secrets.js';
import { schemas } from './compiled-validators.js';
import { suggestKey } from './suggest-key.js';

export type SchemaName = 'endpoint' | 'config';

interface Context {
  error: ErrorObject;
  /** The schema object holding the failed keyword (its `title`, its `x-error`). */
  schemaNode: SchemaNode | undefined;
  source: ParsedSource;
  /** The instance value the error is about. */
  value: unknown;
  /** For each unknown-key error with a close allowed key: that key. */
  suggestions: Map<ErrorObject, string>;
  /** The suggested keys as pointers (`parent/key`): their missing-key errors are the same mistake. */
  typoTargets: Set<string>;
  schema: SchemaName;
}

/** Undefined: the error is already explained by another diagnostic. */
type Mapper = (context: Context) => Diagnostic | undefined;

/**
 * Errors that need their own words, by the name the schema's `x-error` annotation gives them
 * (src/schema/definitions.ts). Each mapper reports under its own rule id.
 */
const ANNOTATED_RULES = {
  'reserved-port': reservedPort,
  'port-digits': portDigits,
  'port-count': portCount,
  'volume-shape': volumeShape,
  'cluster-required': clusterRequired,
  'app-name': appName,
  'absolute-path': absolutePath,
  url: url,
  'env-var-name': envVarName,
  'variable-name': namedKey('variable-name', 'a variable name (letters, digits and _, not starting with a digit)'),
  'environment-name': namedKey('environment-name', 'an environment name (letters, digits, - and _, up to 63, starting with a letter or digit)'),
} satisfies Record<string, Mapper>;

/** A name `x-error` may give a keyword's errors. */
export type ErrorRule = keyof typeof ANNOTATED_RULES;

type SchemaNode = { title?: string; properties?: Record<string, unknown>; 'x-error'?: Partial<Record<string, ErrorRule>> };

/** Everything else, by ajv keyword. */
const KEYWORD_RULES: Record<string, Mapper> = {
  additionalProperties: unknownKey,
  required: missingKey,
  type: wrongType,
  minimum: outOfRange,
  maximum: outOfRange,
  exclusiveMinimum: outOfRange,
  exclusiveMaximum: outOfRange,
  minLength: badLength,
  maxLength: badLength,
  pattern: patternMismatch,
  enum: notAllowedValue,
  const: notAllowedValue,
  minItems: badCount,
  maxItems: badCount,
};

export function mapSchemaErrors(errors: readonly ErrorObject[], source: ParsedSource, schema: SchemaName = 'endpoint'): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const reduced = reduceBranches(errors);
  const suggestions = suggestKeys(reduced, schema);
  const typoTargets = new Set([...suggestions].map(([error, key]) => joinPointer(error.instancePath, key)));
  for (const error of reduced) {
    const value = valueAtPointer(source.value, error.instancePath);
    const schemaNode = keywordParent(schema, error.schemaPath);
    const context: Context = { error, schemaNode, source, value, suggestions, typoTargets, schema };
    const diagnostic = mapperFor(context)(context);
    if (diagnostic === undefined) continue;
    const key = `${diagnostic.rule}\0${diagnostic.path}\0${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function mapperFor({ error, schemaNode }: Context): Mapper {
  const annotated = schemaNode?.['x-error']?.[error.keyword];
  return (annotated && ANNOTATED_RULES[annotated]) ?? KEYWORD_RULES[error.keyword] ?? fallback;
}

/**
 * Drops `if` errors (the `then` errors say what is wrong) and replaces each failed
 * `anyOf`/`oneOf` with the errors of the one branch that fits the value's type; when no
 * branch fits, one type error naming every accepted type; when every branch is a `const`,
 * one enum error listing the allowed values.
 */
function reduceBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const outermost = unions.filter((u) => !unions.some((other) => other !== u && isInside(u, other)));
  const kept = errors.filter((e) => e.keyword !== 'if' && !unions.some((u) => e === u || isInside(e, u)));
  for (const union of outermost) {
    kept.push(
      ...reduceUnion(
        union,
        errors.filter((e) => isInside(e, union)),
      ),
    );
  }
  return kept;
}

function isInside(error: ErrorObject, union: ErrorObject): boolean {
  return error.schemaPath.startsWith(`${union.schemaPath}/`) && error.instancePath.startsWith(union.instancePath);
}

function reduceUnion(union: ErrorObject, inner: ErrorObject[]): ErrorObject[] {
  const prefix = `${union.schemaPath}/`;
  const branches = new Map<string, ErrorObject[]>();
  for (const error of inner) {
    const index = error.schemaPath.slice(prefix.length).split('/')[0] ?? '';
    branches.set(index, [...(branches.get(index) ?? []), error]);
  }
  const atUnion = (e: ErrorObject) => e.instancePath === union.instancePath;
  if (inner.length > 0 && inner.every((e) => e.keyword === 'const' && atUnion(e))) {
    const allowedValues = inner.map((e) => (e.params as { allowedValue: unknown }).allowedValue);
    return [{ ...union, keyword: 'enum', params: { allowedValues } }];
  }
  const typeMismatch = (index: string, errs: ErrorObject[]) =>
    errs.find((e) => e.keyword === 'type' && atUnion(e) && e.schemaPath === `${prefix}${index}/type`);
  const fitting = [...branches].find(([index, errs]) => typeMismatch(index, errs) === undefined);
  if (fitting) return fitting[1].filter((e) => e.keyword !== 'if');
  const types = [...branches].flatMap(([index, errs]) => typeNames(typeMismatch(index, errs)?.params));
  return [{ ...union, keyword: 'type', params: { type: [...new Set(types)] } }];
}

function typeNames(params: unknown): string[] {
  const type = (params as { type?: string | string[] } | undefined)?.type;
  if (type === undefined) return [];
  return Array.isArray(type) ? type : type.split(',');
}

/**
 * "did you mean" for each unknown key. `workerconfig` for `workerConfig` is one mistake, so
 * the missing `workerConfig` is then not reported again.
 */
function suggestKeys(errors: readonly ErrorObject[], schema: SchemaName): Map<ErrorObject, string> {
  const suggestions = new Map<ErrorObject, string>();
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties') continue;
    const suggestion = suggestKey(unknownKeyOf(error), allowedKeys(schema, error.schemaPath));
    if (suggestion !== undefined) suggestions.set(error, suggestion);
  }
  return suggestions;
}

const unknownKeyOf = (error: ErrorObject): string => String((error.params as { additionalProperty: string }).additionalProperty);

// ——— mappers ———

function unknownKey({ error, source, suggestions, schema }: Context): Diagnostic {
  const key = unknownKeyOf(error);
  const suggestion = suggestions.get(error);
  const allowed = allowedKeys(schema, error.schemaPath).filter((k) => k !== '$schema');
  const hint = suggestion !== undefined ? ` (did you mean \`${suggestion}\`?)` : allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : '';
  return diagnosticAt(source, joinPointer(error.instancePath, key), 'unknown-key', `unknown key \`${key}\`${hint}`, { target: 'key' });
}

function missingKey({ error, source, typoTargets }: Context): Diagnostic | undefined {
  const key = (error.params as { missingProperty: string }).missingProperty;
  if (typoTargets.has(joinPointer(error.instancePath, key))) return undefined;
  return diagnosticAt(source, error.instancePath, 'missing-key', `missing required key \`${key}\``);
}

function wrongType({ error, source, value }: Context): Diagnostic {
  const expected = typeNames(error.params);
  const secret = holdsSecret(source.value, error.instancePath);
  const got = secret ? `a ${typeof value}` : describeValue(value);
  const hint = secret ? ' (quote it)' : typeHint(expected, value);
  const message = `expected ${expected.map(describeType).join(' or ')}, got ${got}${hint}`;
  return diagnosticAt(source, error.instancePath, 'type', message);
}

function outOfRange({ error, source, value }: Context): Diagnostic {
  const { comparison, limit } = error.params as { comparison: string; limit: number };
  const bound = { '>=': 'at least', '<=': 'at most', '>': 'greater than', '<': 'less than' }[comparison] ?? comparison;
  return diagnosticAt(
    source,
    error.instancePath,
    'range',
    `\`${fieldName(error.instancePath)}\` must be ${bound} ${limit}, got ${describeValue(value)}`,
  );
}

function badLength({ error, source, value }: Context): Diagnostic {
  const { limit } = error.params as { limit: number };
  const field = `\`${fieldName(error.instancePath)}\``;
  // UTF-16 code units, as the limits are counted (an emoji counts 2).
  const length = typeof value === 'string' ? value.length : 0;
  const message =
    error.keyword === 'minLength'
      ? limit === 1
        ? `${field} must not be empty`
        : `${field} must be at least ${limit} characters, got ${length}`
      : `${field} must be at most ${limit} characters, got ${length}${fieldName(error.instancePath) === 'appName' ? ' (the endpoint URL host `{id}-{appName}` is one DNS label, at most 63 characters, and ids have 16)' : ''}`;
  return diagnosticAt(source, error.instancePath, 'length', message);
}

function patternMismatch({ error, source, value }: Context): Diagnostic {
  const field = fieldName(error.instancePath);
  const shown = describeValue(value);
  const { pattern } = error.params as { pattern: string };
  return diagnosticAt(source, error.instancePath, 'pattern', `\`${field}\` ${shown} must match /${pattern}/`);
}

function notAllowedValue({ error, source, value }: Context): Diagnostic {
  const params = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
  const allowed = params.allowedValues ?? [params.allowedValue];
  const list = allowed.map((v) => `\`${String(v)}\``).join(', ');
  return diagnosticAt(source, error.instancePath, 'enum', `\`${fieldName(error.instancePath)}\` must be one of ${list}, got ${describeValue(value)}`);
}

function badCount({ error, source, value }: Context): Diagnostic {
  const { limit } = error.params as { limit: number };
  const count = Array.isArray(value) ? value.length : 0;
  const bound = error.keyword === 'minItems' ? 'at least' : 'at most';
  const noun = limit === 1 ? 'entry' : 'entries';
  return diagnosticAt(source, error.instancePath, 'count', `\`${fieldName(error.instancePath)}\` needs ${bound} ${limit} ${noun}, got ${count}`);
}

function portCount({ error, source, value }: Context): Diagnostic {
  const count = Array.isArray(value) ? value.length : 0;
  return diagnosticAt(source, error.instancePath, 'port-count', `exactly one port is required, got ${count === 0 ? 'none' : count}`);
}

function reservedPort({ error, source, value }: Context): Diagnostic {
  return diagnosticAt(source, error.instancePath, 'reserved-port', `port ${String(value)} is reserved by the platform`);
}

function portDigits({ error, source, value }: Context): Diagnostic {
  return diagnosticAt(source, error.instancePath, 'range', `port ${describeValue(value)} must be a whole number from 1 to 65535`);
}

function appName({ error, source, value }: Context): Diagnostic {
  const message = `appName ${describeValue(value)} must be lowercase letters, digits and hyphens, starting and ending with a letter or digit`;
  return diagnosticAt(source, error.instancePath, 'app-name', message);
}

function absolutePath({ error, source, value, schemaNode }: Context): Diagnostic {
  const name = schemaNode?.title ?? fieldName(error.instancePath);
  return diagnosticAt(source, error.instancePath, 'absolute-path', `${name} ${describeValue(value)} must be an absolute path (start with \`/\`)`);
}

function url({ error, source, value }: Context): Diagnostic {
  const message = `${fieldName(error.instancePath)} ${describeValue(value)} must be an http:// or https:// URL`;
  return diagnosticAt(source, error.instancePath, 'url', message);
}

function envVarName({ error, source, value }: Context): Diagnostic {
  const message = `${fieldName(error.instancePath)} ${describeValue(value)} must be an environment variable name (letters, digits and _)`;
  return diagnosticAt(source, error.instancePath, 'env-var-name', message);
}

/** A key of a mapping whose keys are names the user picks (variables, environments). */
function namedKey(rule: string, what: string): Mapper {
  return ({ error, source }) => {
    const key = unknownKeyOf(error);
    return diagnosticAt(source, joinPointer(error.instancePath, key), rule, `\`${key}\` is not ${what}`, { target: 'key' });
  };
}

function volumeShape(context: Context): Diagnostic {
  return context.error.keyword === 'not' ? volumeForbiddenKey(context) : volumeMissingKey(context);
}

function volumeForbiddenKey({ error, source, value }: Context): Diagnostic {
  const local = mountType(value) === 'local';
  const key = local ? 'id' : 'size';
  const message = local ? 'a local volume takes no `id`' : 'a network volume takes no `size`';
  return diagnosticAt(source, joinPointer(error.instancePath, key), 'volume-shape', message, { target: 'key' });
}

function volumeMissingKey({ error, source, value }: Context): Diagnostic {
  const key = (error.params as { missingProperty: string }).missingProperty;
  const kind = mountType(value) === 'local' ? 'local' : 'network';
  return diagnosticAt(source, error.instancePath, 'volume-shape', `a ${kind} volume needs \`${key}\``);
}

/** Points at the network mount that makes clusterID necessary: that is where the reason is. */
function clusterRequired({ error, source, value }: Context): Diagnostic {
  const mounts = (value as { volumeMounts?: unknown } | undefined)?.volumeMounts;
  const index = Array.isArray(mounts) ? mounts.findIndex((m) => mountType(m) === 'network') : -1;
  const pointer = index < 0 ? error.instancePath : joinPointer(error.instancePath, 'volumeMounts', index, 'type');
  return diagnosticAt(source, pointer, 'cluster-required', '`clusterID` is required when a network volume is mounted');
}

function fallback({ error, source }: Context): Diagnostic {
  return diagnosticAt(source, error.instancePath, error.keyword, `\`${fieldName(error.instancePath)}\` ${error.message ?? 'is invalid'}`);
}

// ——— wording helpers ———

function mountType(mount: unknown): unknown {
  return mount !== null && typeof mount === 'object' ? (mount as { type?: unknown }).type : undefined;
}

/** The name a person would use for the value at `pointer`: its key, or `list[i]`. */
function fieldName(pointer: string): string {
  const segments = splitPointer(pointer);
  const last = segments.at(-1);
  if (last === undefined) return 'document';
  if (!/^\d+$/.test(last)) return last;
  return `${segments.at(-2) ?? ''}[${last}]`;
}

/** An env value under a secret-looking key is never echoed, even in a type error. */
function holdsSecret(document: unknown, pointer: string): boolean {
  if (!/^\/envs\/\d+\/value$/.test(pointer)) return false;
  const key = valueAtPointer(document, `${parentPointer(pointer)}/key`);
  return typeof key === 'string' && isSecretEnvKey(key);
}

/** JSON Schema type names as a person reads them. */
const TYPE_WORDS = new Map([
  ['integer', 'an integer'],
  ['number', 'a number'],
  ['string', 'a string'],
  ['boolean', 'true or false'],
  ['object', 'a map'],
  ['array', 'a list'],
  ['null', 'null'],
]);

const describeType = (type: string): string => TYPE_WORDS.get(type) ?? type;

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

function typeHint(expected: string[], value: unknown): string {
  const wantsNumber = expected.includes('integer') || expected.includes('number');
  if (wantsNumber && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return ' (remove the quotes)';
  if (expected.includes('string') && !wantsNumber && (typeof value === 'number' || typeof value === 'boolean'))
    return ` (quote it: "${String(value)}")`;
  return '';
}

// ——— the allowed keys at a schema location, for suggestions ———

/** The schema object that holds the keyword `schemaPath` ends at (its `properties`, `title`, `x-error`). */
function keywordParent(schema: SchemaName, schemaPath: string): SchemaNode | undefined {
  // schemaPath is a URI fragment: `#/properties/%24schema/...`, segments pointer-escaped.
  const pointer = parentPointer(schemaPath.replace(/^#/, ''))
    .split('/')
    .map((segment) => decodeURIComponent(segment))
    .join('/');
  return valueAtPointer(schemas[schema], pointer) as SchemaNode | undefined;
}

/** The keys the schema allows in the object an `additionalProperties` error at `schemaPath` is about. */
export function allowedKeys(schema: SchemaName, schemaPath: string): string[] {
  return Object.keys(keywordParent(schema, schemaPath)?.properties ?? {});
}
