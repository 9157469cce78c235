import { invalidParam } from './api-fault.js';

export interface ReaderOptions {
  /**
   * Take integers written as decimal strings (`"300"`). Update bodies need it: clients read an
   * endpoint, where these numbers come back as strings, and send them back, and the service
   * accepts that.
   */
  numericStrings?: boolean;
}

/**
 * Reads one JSON object of a request body field by field, the way the service decodes
 * it: `null` counts as absent, and a required string must be non-empty (an empty string
 * and a missing one are the same thing to the service). Every refusal is a 400
 * VALIDATOR_PARAM naming the field's dotted path.
 */
export class FieldReader {
  private constructor(
    private readonly fields: Record<string, unknown>,
    readonly path: string,
    private readonly options: ReaderOptions,
  ) {}

  static from(value: unknown, path: string, options: ReaderOptions = {}): FieldReader {
    if (!isPlainObject(value)) throw invalidParam(`${path || 'body'} must be a JSON object`);
    return new FieldReader(value, path, options);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.fields, key) && this.fields[key] !== null && this.fields[key] !== undefined;
  }

  raw(key: string): unknown {
    return this.has(key) ? this.fields[key] : undefined;
  }

  pathOf(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  requiredInteger(key: string): number {
    if (!this.has(key)) throw invalidParam(`${this.pathOf(key)} is required`);
    return this.checkInteger(key);
  }

  optionalInteger(key: string): number | undefined {
    return this.has(key) ? this.checkInteger(key) : undefined;
  }

  requiredString(key: string, maxLength: number): string {
    const value = this.optionalString(key, maxLength);
    if (value === '') throw invalidParam(`${this.pathOf(key)} is required`);
    return value;
  }

  /** An optional string; `''` when absent. */
  optionalString(key: string, maxLength: number): string {
    if (!this.has(key)) return '';
    const value = this.fields[key];
    if (typeof value !== 'string') throw invalidParam(`${this.pathOf(key)} must be a string`);
    if (value.length > maxLength) throw invalidParam(`${this.pathOf(key)} must be at most ${maxLength} characters`);
    return value;
  }

  requiredObject(key: string): FieldReader {
    if (!this.has(key)) throw invalidParam(`${this.pathOf(key)} is required`);
    return FieldReader.from(this.fields[key], this.pathOf(key), this.options);
  }

  optionalObject(key: string): FieldReader | undefined {
    return this.has(key) ? FieldReader.from(this.fields[key], this.pathOf(key), this.options) : undefined;
  }

  /** The array's items as readers; `[]` when absent. */
  objectArray(key: string): FieldReader[] {
    if (!this.has(key)) return [];
    const value = this.fields[key];
    if (!Array.isArray(value)) throw invalidParam(`${this.pathOf(key)} must be an array`);
    return value.map((item, index) => FieldReader.from(item, `${this.pathOf(key)}[${index}]`, this.options));
  }

  private checkInteger(key: string): number {
    const raw = this.fields[key];
    const value = this.options.numericStrings && typeof raw === 'string' && /^-?[0-9]{1,15}$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw invalidParam(`${this.pathOf(key)} must be an integer`);
    }
    return value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
