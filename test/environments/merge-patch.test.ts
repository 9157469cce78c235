import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTEGER_FIELD_POINTER } from '../../src/schema/constants.js';
import { mergePatch } from '../../src/environments/merge-patch.js';
import { applyPatches } from '../../src/environments/index.js';
import { findInterpolationProblems } from '../../src/common/template.js';
import { parseSpecText, type SpecDocument } from '../../src/spec/index.js';
import { repoRoot } from '../helpers/cli.js';

describe('mergePatch follows RFC 7386 (its Appendix A examples)', () => {
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(cases)('%j + %j', (target, patch, expected) => {
    const before = structuredClone(target);
    expect(mergePatch(target, patch).value).toEqual(expected);
    expect(target).toEqual(before);
  });

  it('reports the pointers whose whole value the patch wrote', () => {
    const { written } = mergePatch(
      { workerConfig: { minNum: 0, maxNum: 4 }, ports: [{ port: 80 }] },
      { workerConfig: { maxNum: 8 }, ports: [{ port: 81 }], healthy: { path: '/h' } },
    );
    expect(written).toEqual(['/workerConfig/maxNum', '/ports', '/healthy', '/healthy/path']);
    expect(
      mergePatch({ image: { image: 'x', command: 'y' }, healthy: {} }, { image: { command: null }, healthy: null, absent: null }).removed,
    ).toEqual(['/image/command', '/healthy']);
  });
});

describe('the integer fields a whole-value ${var:…} turns into a number', () => {
  it('are exactly the schema fields that take an integer', () => {
    const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/endpoint.schema.json'), 'utf8'));
    const integerPointers: string[] = [];
    const walk = (node: any, pointer: string) => {
      if (node?.type === 'integer' || node?.anyOf?.some((branch: any) => branch.type === 'integer')) integerPointers.push(pointer);
      for (const [key, child] of Object.entries(node?.properties ?? {})) walk(child, `${pointer}/${key}`);
      if (node?.items) walk(node.items, `${pointer}/0`);
    };
    walk(schema, '');
    expect(integerPointers.length).toBeGreaterThan(8);
    for (const pointer of integerPointers) expect([pointer, INTEGER_FIELD_POINTER.test(pointer)]).toEqual([pointer, true]);
    for (const pointer of ['/name', '/image/image', '/products/0/id', '/workerConfig', '/ports/0'])
      expect(INTEGER_FIELD_POINTER.test(pointer)).toBe(false);
  });
});

describe('applyPatches', () => {
  it('a template that only a patch writes is checked and resolved like one in the spec', () => {
    const parse = (text: string, file: string) => parseSpecText(text, file, `/abs/${file}`).documents;
    const [base] = parse('name: sdxl\nappName: sdxl\n', 'endpoints/sdxl.yaml');
    const patches = parse('name: sdxl\nappName: "${env:STAGE}"\n', 'env/prod/sdxl.yaml');
    const { documents } = applyPatches([base as SpecDocument], patches);
    expect(findInterpolationProblems(documents[0] as SpecDocument)).toMatchObject([
      { rule: 'interpolation-not-allowed', path: '/appName', file: 'env/prod/sdxl.yaml' },
    ]);
  });
});
