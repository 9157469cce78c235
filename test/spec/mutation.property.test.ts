import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSpecText } from '../../src/spec/index.js';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/load/valid-spec.yaml');
const VALID_YAML = readFileSync(fixture);
const VALID_JSON = Buffer.from(JSON.stringify(JSON.parse(JSON.stringify({ name: 'a', image: { image: 'x' }, ports: [{ port: 80 }] })), null, 2));

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'swap-keys'; a: number; b: number };

const SPECIAL = [
  '\0',
  '\t',
  '\n',
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '&a ',
  '*a',
  '---\n',
  '"',
  "'",
  '#',
  '? ',
  '!!binary ',
  '${',
  '__proto__: 1\n',
  '\uFFFD',
  '\u00e9',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('swap-keys' as const), a: fc.nat(), b: fc.nat() }),
);

function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = (n: number) => (bytes.length === 0 ? 0 : n % bytes.length);
  switch (m.kind) {
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[at(m.at)] = m.byte;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, at(m.at));
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.text), bytes.subarray(at(m.at))]);
    case 'swap-lines': {
      const lines = bytes.toString('latin1').split('\n');
      const [a, b] = [m.a % lines.length, m.b % lines.length];
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 'swap-keys': {
      const text = bytes.toString('latin1');
      const keys = [...text.matchAll(/([A-Za-z$]+):/g)].map((match) => match[1] as string);
      if (keys.length === 0) return bytes;
      const [a, b] = [keys[m.a % keys.length] as string, keys[m.b % keys.length] as string];
      return Buffer.from(text.replace(`${a}:`, `${b}:`), 'latin1');
    }
  }
}

const lineCount = (bytes: Buffer) => bytes.toString('latin1').split('\n').length;

describe('parseSpecText on mutated specs', () => {
  it.each([
    ['YAML', VALID_YAML, 'sdxl.yaml'],
    ['JSON', VALID_JSON, 'sdxl.json'],
  ])('%s: never throws, and every position is inside the file', (_kind, valid, name) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const bytes = mutations.reduce(mutate, valid as Buffer);
        const lines = lineCount(bytes);
        const result = parseSpecText(bytes, name, `/abs/${name}`);
        for (const diagnostic of result.diagnostics) {
          expect(diagnostic.line).toBeGreaterThanOrEqual(1);
          expect(diagnostic.line).toBeLessThanOrEqual(lines);
          expect(diagnostic.column).toBeGreaterThanOrEqual(1);
          expect(diagnostic.message).not.toMatch(/\n\s+at /);
        }
        for (const document of result.documents) {
          for (const pointer of ['', '/name', '/image/image', '/ports/0/port', '/envs/1/value', '/no/such']) {
            const position = document.locate(pointer, 'key');
            expect(position.line).toBeGreaterThanOrEqual(1);
            expect(position.line).toBeLessThanOrEqual(lines);
          }
          expect(Object.getPrototypeOf(document.value)).toBe(Object.prototype);
        }
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });
});
