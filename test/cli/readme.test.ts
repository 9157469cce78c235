/**
 * The README is part of the product: its quick start must be the two commands that work,
 * and its spec reference must list exactly the fields the schema has.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
  maxLength?: number;
}

/** Every leaf field of the endpoint schema as `a.b`, `list[].c`, with whether its parent requires it. */
function schemaFields(node: SchemaNode, prefix = ''): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const name = `${prefix}${key}`;
    const required = node.required?.includes(key) ?? false;
    const inner = child.type === 'array' ? child.items : child;
    const innerName = child.type === 'array' ? `${name}[]` : name;
    if (inner?.properties) for (const [path, req] of schemaFields(inner, `${innerName}.`)) fields.set(path, req);
    else fields.set(name, required);
  }
  return fields;
}

/** The spec reference table: each row's cells, by field. */
function readmeRows(): Map<string, string[]> {
  const section = /<!-- spec-reference:start[^>]*-->([\s\S]*?)<!-- spec-reference:end -->/.exec(readme)?.[1] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return new Map(
    rows.map((row) => {
      const cells = row.split(/(?<!\\)\|/).map((cell) => cell.trim());
      return [cells[1]!.replace(/`/g, ''), cells];
    }),
  );
}

/** Field → the required column says "yes". */
const readmeFields = (): Map<string, boolean> => new Map([...readmeRows()].map(([field, cells]) => [field, cells[3] === 'yes']));

/** Field → the rules column. */
const readmeRules = (): Map<string, string> => new Map([...readmeRows()].map(([field, cells]) => [field, cells[4] ?? '']));

/** Every leaf field of the endpoint schema with a length limit, and the limit. */
function schemaLengthLimits(node: SchemaNode, prefix = ''): Map<string, number> {
  const limits = new Map<string, number>();
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const inner = child.type === 'array' ? child.items : child;
    const name = child.type === 'array' ? `${prefix}${key}[]` : `${prefix}${key}`;
    if (inner?.properties) for (const [field, limit] of schemaLengthLimits(inner, `${name}.`)) limits.set(field, limit);
    else if (child.maxLength !== undefined) limits.set(`${prefix}${key}`, child.maxLength);
  }
  return limits;
}

describe('README.md', () => {
  it('has a quick start of exactly the two commands', () => {
    const quickStart = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = quickStart
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm install && npm run demo', 'npm test']);
  });

  it('lists every endpoint schema field in the spec reference, required exactly where the schema requires it', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/endpoint.schema.json'), 'utf8')) as SchemaNode;
    const expected = Object.fromEntries(schemaFields(schema));
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    expect(Object.fromEntries(readmeFields())).toEqual(expected);
  });

  it('states every length limit the schema enforces', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/endpoint.schema.json'), 'utf8')) as SchemaNode;
    const rules = readmeRules();
    const stated = [...schemaLengthLimits(schema)].map(([field, limit]) => [field, new RegExp(`(≤ |–)${limit} chars`).test(rules.get(field) ?? '')]);
    expect(stated.length).toBeGreaterThan(8);
    expect(stated.filter(([, ok]) => !ok)).toEqual([]);
  });

  it('documents every command and exit code', () => {
    for (const command of ['validate', 'plan', 'apply', 'status', 'export', 'import', 'forget', 'emulator', 'schema', 'init'])
      expect(readme).toContain(`| \`${command}`);
    for (const code of ['`0`', '`1`', '`2`']) expect(readme).toContain(`| ${code} |`);
  });
});
