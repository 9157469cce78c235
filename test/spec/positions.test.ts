import { describe, expect, it } from '@jest/globals';
import { parseSpecText } from '../../src/spec/index.js';

const BLOCK_YAML = [
  '# comment line',
  'name: sdxl-turbo',
  'image:',
  '  image: ghcr.io/acme/sdxl:1.4.2',
  '  command: "python -m server"',
  'ports:',
  '  - port: 8080',
  'envs:',
  '  - key: A',
  '    value: b',
  'healthy:',
  '  path:',
  '',
].join('\n');

const FLOW_YAML = ['name: flow', 'workerConfig: {minNum: 0, maxNum: 4}', 'ports: [{port: 8080}]', 'products: [ {id: "1"} ]', ''].join('\n');

type Case = [pointer: string, target: 'key' | 'value', line: number, column: number];

describe('locate in block YAML', () => {
  const [document] = parseSpecText(BLOCK_YAML, 'block.yaml', '/abs/block.yaml').documents;
  const cases: Case[] = [
    ['', 'value', 2, 1],
    ['/name', 'key', 2, 1],
    ['/name', 'value', 2, 7],
    ['/image', 'key', 3, 1],
    ['/image', 'value', 4, 3],
    ['/image/image', 'value', 4, 10],
    ['/image/command', 'key', 5, 3],
    ['/image/command', 'value', 5, 12],
    ['/ports/0', 'value', 7, 5],
    ['/ports/0/port', 'key', 7, 5],
    ['/ports/0/port', 'value', 7, 11],
    ['/envs/0/value', 'value', 10, 12],
    // An empty value points at its key.
    ['/healthy/path', 'value', 12, 3],
    // A pointer that does not exist resolves to its nearest existing ancestor.
    ['/image/authId', 'value', 4, 3],
    ['/ports/3/port', 'value', 7, 3],
    ['/nothing/at/all', 'value', 2, 1],
  ];
  it.each(cases)('%s (%s) is at %i:%i', (pointer, target, line, column) => {
    expect(document?.locate(pointer, target)).toEqual({ line, column });
  });
  it('defaults to the value', () => {
    expect(document?.locate('/name')).toEqual({ line: 2, column: 7 });
  });
});

describe('locate in flow YAML', () => {
  const [document] = parseSpecText(FLOW_YAML, 'flow.yaml', '/abs/flow.yaml').documents;
  const cases: Case[] = [
    ['/workerConfig', 'value', 2, 15],
    ['/workerConfig/maxNum', 'key', 2, 27],
    ['/workerConfig/maxNum', 'value', 2, 35],
    ['/ports/0', 'value', 3, 9],
    ['/ports/0/port', 'value', 3, 16],
    ['/products/0/id', 'value', 4, 18],
  ];
  it.each(cases)('%s (%s) is at %i:%i', (pointer, target, line, column) => {
    expect(document?.locate(pointer, target)).toEqual({ line, column });
  });
});

describe('multi-document YAML', () => {
  const text = 'name: a\nrootfsSize: 1\n---\n# second\nname: b\n---\nname: c\n';
  const { documents, diagnostics } = parseSpecText(text, 'multi.yaml', '/abs/multi.yaml');
  it('gives one document per `---` section, each with its index and value', () => {
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => [d.index, d.value])).toEqual([
      [0, { name: 'a', rootfsSize: 1 }],
      [1, { name: 'b' }],
      [2, { name: 'c' }],
    ]);
  });
  it('locates each document in its own section of the file', () => {
    expect(documents.map((d) => d.locate('/name', 'value'))).toEqual([
      { line: 1, column: 7 },
      { line: 5, column: 7 },
      { line: 7, column: 7 },
    ]);
  });
  it('skips empty documents (a trailing `---`)', () => {
    const result = parseSpecText('---\nname: a\n---\n', 'trailing.yaml', '/abs/trailing.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.documents.map((d) => d.value)).toEqual([{ name: 'a' }]);
  });
});

describe('JSON', () => {
  it('an object is one document', () => {
    const text = '{\n  "name": "a",\n  "ports": [{"port": 8080}]\n}\n';
    const { documents, diagnostics } = parseSpecText(text, 'one.json', '/abs/one.json');
    expect(diagnostics).toEqual([]);
    expect(documents).toHaveLength(1);
    expect(documents[0]?.value).toEqual({ name: 'a', ports: [{ port: 8080 }] });
    expect(documents[0]?.locate('/name', 'key')).toEqual({ line: 2, column: 3 });
    expect(documents[0]?.locate('/ports/0/port', 'value')).toEqual({ line: 3, column: 22 });
  });

  it('an array gives one document per item, with pointers relative to the item', () => {
    const text = '[\n  {"name": "a"},\n  {\n    "name": "b",\n    "rootfsSize": 100\n  }\n]\n';
    const { documents, diagnostics } = parseSpecText(text, 'many.json', '/abs/many.json');
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => [d.index, d.value])).toEqual([
      [0, { name: 'a' }],
      [1, { name: 'b', rootfsSize: 100 }],
    ]);
    expect(documents[0]?.locate('/name', 'value')).toEqual({ line: 2, column: 12 });
    expect(documents[1]?.locate('', 'value')).toEqual({ line: 3, column: 3 });
    expect(documents[1]?.locate('/rootfsSize', 'key')).toEqual({ line: 5, column: 5 });
    expect(documents[1]?.locate('/missing', 'value')).toEqual({ line: 3, column: 3 });
  });

  it('carries the file names it was given', () => {
    const [document] = parseSpecText('{"name": "a"}', 'endpoints/a.json', '/repo/endpoints/a.json').documents;
    expect(document).toMatchObject({ file: 'endpoints/a.json', absolutePath: '/repo/endpoints/a.json', index: 0 });
  });
});

describe('values', () => {
  it('are plain JSON values with aliases expanded', () => {
    const text = 'name: a\nbase: &base {minNum: 0, maxNum: 2}\nworkerConfig: *base\nflag: true\nnothing: null\nquoted: "0755"\n';
    const [document] = parseSpecText(text, 'a.yaml', '/abs/a.yaml').documents;
    expect(document?.value).toEqual({
      name: 'a',
      base: { minNum: 0, maxNum: 2 },
      workerConfig: { minNum: 0, maxNum: 2 },
      flag: true,
      nothing: null,
      quoted: '0755',
    });
  });

  it('locates through an alias into the anchored value', () => {
    const text = 'name: a\nbase: &base\n  minNum: 0\n  maxNum: 2\nworkerConfig: *base\n';
    const [document] = parseSpecText(text, 'a.yaml', '/abs/a.yaml').documents;
    expect(document?.locate('/workerConfig', 'value')).toEqual({ line: 5, column: 15 });
    expect(document?.locate('/workerConfig/maxNum', 'value')).toEqual({ line: 4, column: 11 });
  });

  it('accepts a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: a\n')]);
    const { documents, diagnostics } = parseSpecText(bytes, 'bom.yaml', '/abs/bom.yaml');
    expect(diagnostics).toEqual([]);
    expect(documents[0]?.value).toEqual({ name: 'a' });
    expect(documents[0]?.locate('/name')).toEqual({ line: 1, column: 7 });
  });
});
