import { readFileSync } from 'node:fs';
import { PpioError } from '../common/errors.js';
import type { EmulatedLimits, EmulatorCatalog } from './catalog.js';
import { isPlainObject } from './field-reader.js';

/** `--catalog FILE` cannot be used; the emulator refuses to start. */
export class EmulatorCatalogError extends PpioError {
  readonly exitCode = 1;
}

type Json = Record<string, unknown>;
type FieldKind = 'string' | 'number' | 'boolean' | 'string[]';

/** The fields each catalogue section's items must have, and their types. */
const SECTIONS = {
  clusters: { id: 'string', name: 'string', availableGpuType: 'string[]', supportNetworkStorage: 'boolean' },
  storages: { storageId: 'string', storageName: 'string', storageSize: 'number', clusterId: 'string', clusterName: 'string' },
  auths: { id: 'string', name: 'string', username: 'string', password: 'string' },
  products: { id: 'string', name: 'string', pricePerGpuHour: 'number' },
} satisfies Record<string, Record<string, FieldKind>>;

type SectionName = keyof typeof SECTIONS;

/**
 * Reads a JSON catalogue: `{clusters?, storages?, auths?, products?, limits?}`. Each section
 * given replaces the seeded one whole; `limits` too, so a range it leaves out is not reported
 * by `GET /endpoint/limit` (as on an account or revision without it).
 */
export function readCatalogFile(path: string): Partial<EmulatorCatalog> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new EmulatorCatalogError(`--catalog ${path}: ${(error as Error).message}`);
  }
  try {
    return parseCatalog(parsed);
  } catch (error) {
    throw new EmulatorCatalogError(`--catalog ${path}: ${(error as Error).message}`);
  }
}

export function parseCatalog(value: unknown): Partial<EmulatorCatalog> {
  if (!isPlainObject(value)) throw new Error('expected a JSON object with clusters, storages, auths, products and/or limits');
  const known = [...Object.keys(SECTIONS), 'limits'];
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const catalog: Partial<EmulatorCatalog> = {};
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    if (value[name] !== undefined) Object.assign(catalog, { [name]: readSection(value[name], name) });
  }
  if (value['limits'] !== undefined) catalog.limits = readLimits(value['limits']);
  return catalog;
}

function readSection(value: unknown, name: SectionName): Json[] {
  if (!Array.isArray(value)) throw new Error(`${name} must be an array`);
  const fields: Record<string, FieldKind> = SECTIONS[name];
  return value.map((item: unknown, index) => {
    const path = `${name}[${index}]`;
    if (!isPlainObject(item)) throw new Error(`${path} must be an object`);
    for (const [field, kind] of Object.entries(fields)) checkField(item[field], kind, `${path}.${field}`);
    return item;
  });
}

function readLimits(value: unknown): EmulatedLimits {
  if (!isPlainObject(value)) throw new Error('limits must be an object');
  for (const [key, limit] of Object.entries(value)) {
    if (key === 'cudaVersionList') checkField(limit, 'string[]', 'limits.cudaVersionList');
    else if (/^(min|max|free)[A-Za-z]+$/.test(key)) checkField(limit, 'number', `limits.${key}`);
    else throw new Error(`limits.${key} is not a limit (minX, maxX, freeX or cudaVersionList)`);
  }
  return value as EmulatedLimits;
}

function checkField(value: unknown, kind: FieldKind, path: string): void {
  const ok =
    kind === 'string[]'
      ? Array.isArray(value) && value.every((item) => typeof item === 'string')
      : kind === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && value >= 0
        : typeof value === kind;
  if (!ok)
    throw new Error(`${path} must be ${kind === 'string[]' ? 'an array of strings' : kind === 'number' ? 'a non-negative number' : `a ${kind}`}`);
}
