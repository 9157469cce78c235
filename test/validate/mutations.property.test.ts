import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { validateSpecs } from '../../src/schema/index.js';
import { parseSpecText } from '../../src/spec/index.js';
import { validSpecObject } from './spec-documents.js';

type Container = Record<string, unknown> | unknown[];

/** Every map and list in the spec, with the parent that holds it (for drops and retypes). */
function containers(value: unknown, found: Container[] = []): Container[] {
  if (value !== null && typeof value === 'object') {
    found.push(value as Container);
    for (const child of Object.values(value)) containers(child, found);
  }
  return found;
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat(), slot: fc.nat() }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), slot: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant('add' as const), pick: fc.nat(), key: fc.string({ minLength: 1, maxLength: 16 }), value: anyValue }),
  fc.record({ kind: fc.constant('reserved' as const), port: fc.constantFrom<number | string>(2222, 2223, 2224, '2222', '2223', '2224') }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function applyMutation(spec: Record<string, unknown>, m: Mutation): void {
  if (m.kind === 'reserved') {
    spec['ports'] = [{ port: m.port }];
    return;
  }
  const all = containers(spec);
  const target = all[m.pick % all.length]!;
  if (m.kind === 'add') {
    if (!Array.isArray(target)) target[m.key] = m.value;
    else target.push(m.value);
    return;
  }
  const keys = Object.keys(target);
  if (keys.length === 0) return;
  const key = keys[m.slot % keys.length]!;
  if (m.kind === 'drop') {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else {
    (target as Record<string, unknown>)[key] = m.value;
  }
}

describe('validateSpecs under random mutations of a valid spec', () => {
  it('never throws, and every diagnostic points at a real line of the file', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const spec = validSpecObject();
        for (const m of mutations) applyMutation(spec, m);
        const text = stringify(spec);
        const lineCount = text.split('\n').length;
        const parsed = parseSpecText(text, 'endpoints/m.yaml', '/project/endpoints/m.yaml');
        const { diagnostics, valid } = validateSpecs(parsed.documents);
        for (const d of diagnostics) {
          expect(d.file).toBe('endpoints/m.yaml');
          expect(d.rule).toMatch(/^[a-z][a-z-]*$/);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lineCount);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.path === '' || d.path.startsWith('/')).toBe(true);
        }
        // A document is valid exactly when no error was reported for it.
        const errors = diagnostics.filter((d) => d.severity === 'error');
        expect(valid.length).toBe(parsed.documents.length > 0 && errors.length === 0 ? 1 : 0);
      }),
      { numRuns: 250 },
    );
  });

  it('a reserved port is always reported as reserved-port', () => {
    fc.assert(
      fc.property(fc.constantFrom<number | string>(2222, 2223, 2224, '2222', '2223', '2224'), (port) => {
        const spec = validSpecObject();
        spec['ports'] = [{ port }];
        const parsed = parseSpecText(stringify(spec), 'endpoints/p.yaml', '/project/endpoints/p.yaml');
        const rules = validateSpecs(parsed.documents).diagnostics.map((d) => d.rule);
        expect(rules).toEqual(['reserved-port']);
      }),
    );
  });
});
