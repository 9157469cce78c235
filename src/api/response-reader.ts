import { ApiError } from '../common/errors.js';

export const MALFORMED_RESPONSE = 'MALFORMED_RESPONSE';

type Json = Record<string, unknown>;

/**
 * Reads fields of an API response defensively: a value of the wrong shape becomes an ApiError
 * naming the operation and the field, never a TypeError deep inside the plan. Messages name the
 * field and the type found, never the value (it may be an env value, i.e. a secret).
 */
export class ResponseReader {
  constructor(
    readonly operation: string,
    private readonly status?: number,
  ) {}

  fail(path: string, expected: string, found: unknown): never {
    throw new ApiError(
      `${this.operation}: unexpected response from the PPIO API: ${path} is ${describeType(found)}, expected ${expected}`,
      this.status,
      MALFORMED_RESPONSE,
      this.operation,
    );
  }

  object(value: unknown, path: string): Json {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    return this.fail(path, 'an object', value);
  }

  array(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    return this.fail(path, 'an array', value);
  }

  /** null or absent reads as an empty list (the API omits empty lists). */
  optionalArray(value: unknown, path: string): unknown[] {
    return value === undefined || value === null ? [] : this.array(value, path);
  }

  /** Ids sometimes come back as numbers: read them as their decimal string. */
  string(value: unknown, path: string): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return this.fail(path, 'a string', value);
  }

  /** `""`, null and absent all mean "not set" in live objects. */
  optionalString(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.string(value, path);
  }

  /** Numbers come back as strings (`"300"`) in live objects: both read as an integer. */
  integer(value: unknown, path: string): number {
    const parsed = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof parsed === 'number' && Number.isSafeInteger(parsed)) return parsed;
    return this.fail(path, 'an integer', value);
  }

  optionalInteger(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    return this.integer(value, path);
  }

  /** Sizes and limits may be decimal strings too. */
  number(value: unknown, path: string): number {
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof parsed === 'number' && Number.isFinite(parsed)) return parsed;
    return this.fail(path, 'a number', value);
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    return this.fail(path, 'a boolean', value);
  }
}

function describeType(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
