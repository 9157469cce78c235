/**
 * Rules JSON Schema cannot express: uniqueness across the project and relations between
 * fields. They read the documents defensively (a document may have failed the schema), so
 * one run reports every problem.
 */
import { diagnosticAt, locateInSource, type Diagnostic } from '../common/diagnostic.js';
import { joinPointer } from '../common/json-pointer.js';
import { asRecord } from '../common/record.js';
import { isSecretEnvKey } from '../common/secrets.js';
import { mayHoldTemplate } from '../common/template.js';
import type { SpecDocument } from '../spec/types.js';

/** A diagnostic together with the document it belongs to. */
export interface DocumentDiagnostic {
  document: SpecDocument;
  diagnostic: Diagnostic;
}

/** Env keys whose value should come from `${env:…}`, never from the committed file. */
/**
 * Names that are properties of every JavaScript object: as keys of the lockfile's `endpoints`
 * they would be read or written as the prototype's members, and the entry silently lost.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** `name` and `appName` unique across every document; one pass, one map per field. */
export function checkUniqueNames(documents: readonly SpecDocument[]): DocumentDiagnostic[] {
  const found: DocumentDiagnostic[] = [];
  const fields = [
    { key: 'name', rule: 'duplicate-name', firstSeen: new Map<string, SpecDocument>() },
    { key: 'appName', rule: 'duplicate-app-name', firstSeen: new Map<string, SpecDocument>() },
  ];
  for (const document of documents) {
    const spec = asRecord(document.value);
    for (const field of fields) {
      const value = spec?.[field.key];
      if (typeof value !== 'string') continue;
      const first = field.firstSeen.get(value);
      if (first === undefined) {
        field.firstSeen.set(value, document);
        continue;
      }
      const pointer = `/${field.key}`;
      const where = locateInSource(first, pointer);
      const message = `${field.key} \`${value}\` is already used in ${where.file}:${where.line}`;
      found.push({ document, diagnostic: diagnosticAt(document, pointer, field.rule, message) });
    }
  }
  return found;
}

/** The rules that look inside one document. */
export function checkDocumentRules(document: SpecDocument): Diagnostic[] {
  const spec = asRecord(document.value);
  if (spec === undefined) return [];
  return [
    ...checkReservedName(document, spec),
    ...checkWorkerRange(document, spec),
    ...checkUniqueEntries(document, spec['envs'], 'envs', 'key', 'duplicate-env-key', 'env key'),
    ...checkUniqueEntries(document, spec['volumeMounts'], 'volumeMounts', 'mountPath', 'duplicate-mount-path', 'mountPath'),
    ...checkPlaintextSecrets(document, spec['envs']),
  ];
}

function checkReservedName(document: SpecDocument, spec: Record<string, unknown>): Diagnostic[] {
  const name = spec['name'];
  if (typeof name !== 'string' || !RESERVED_NAMES.has(name)) return [];
  return [
    diagnosticAt(
      document,
      '/name',
      'reserved-name',
      `name \`${name}\` is reserved (it names a member of every JavaScript object); choose another name`,
    ),
  ];
}

function checkWorkerRange(document: SpecDocument, spec: Record<string, unknown>): Diagnostic[] {
  const workers = asRecord(spec['workerConfig']);
  const min = workers?.['minNum'];
  const max = workers?.['maxNum'];
  if (typeof min !== 'number' || typeof max !== 'number' || min <= max) return [];
  return [diagnosticAt(document, '/workerConfig/minNum', 'worker-range', `minNum ${min} is greater than maxNum ${max}`)];
}

function checkUniqueEntries(document: SpecDocument, list: unknown, listKey: string, field: string, rule: string, label: string): Diagnostic[] {
  if (!Array.isArray(list)) return [];
  const firstIndex = new Map<string, number>();
  const found: Diagnostic[] = [];
  list.forEach((entry, index) => {
    const value = asRecord(entry)?.[field];
    if (typeof value !== 'string') return;
    const first = firstIndex.get(value);
    if (first === undefined) {
      firstIndex.set(value, index);
      return;
    }
    const where = locateInSource(document, joinPointer('', listKey, first, field));
    const place =
      where.file === locateInSource(document, joinPointer('', listKey, index, field)).file ? `line ${where.line}` : `${where.file}:${where.line}`;
    const message = `${label} \`${value}\` is already set at ${place}`;
    found.push(diagnosticAt(document, joinPointer('', listKey, index, field), rule, message));
  });
  return found;
}

/** Warns without ever echoing the value: it may be a real secret. */
function checkPlaintextSecrets(document: SpecDocument, envs: unknown): Diagnostic[] {
  if (!Array.isArray(envs)) return [];
  const found: Diagnostic[] = [];
  envs.forEach((entry, index) => {
    const env = asRecord(entry);
    const key = env?.['key'];
    const value = env?.['value'];
    if (typeof key !== 'string' || typeof value !== 'string' || value === '') return;
    // Any `${`: a well-formed one is interpolated, a malformed one is already an error.
    if (!isSecretEnvKey(key) || mayHoldTemplate(value)) return;
    const message = `env \`${key}\` looks like a secret but its value is plain text; use "\${env:${key}}" and set it in the environment`;
    found.push(diagnosticAt(document, joinPointer('', 'envs', index, 'value'), 'plaintext-secret', message, { severity: 'warning' }));
  });
  return found;
}

/** Whether a spec may be named `name` (some names are members of every JavaScript object). */
export const isReservedName = (name: string): boolean => RESERVED_NAMES.has(name);
