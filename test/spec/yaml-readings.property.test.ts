/**
 * The two YAML readings must agree: whenever the fast one (js-yaml with YAML 1.2's core schema,
 * on texts in the plain block subset, checked by one walk) accepts a text, `yaml` reports
 * nothing for that text (no error, no warning) and builds deep-equal documents (same indexes,
 * same values, -0 and key order included). Texts are generated in the subset and just outside
 * it, from tricky keys and scalars with varied layout, and mutated from real specs.
 * Declining is always allowed; the test also checks that typical specs are accepted, so the
 * fast reading is used. YAML_READINGS_RUNS raises the number of cases for a longer local run,
 * YAML_READINGS_SEED fixes the seed.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseSpecText } from '../../src/spec/index.js';
import { parseYamlText, readWithLibraries, readWithYaml } from '../../src/spec/parse-yaml.js';

const runs = Number(process.env['YAML_READINGS_RUNS'] ?? 400);
/** A fixed seed replays a run (fast-check prints the seed of a failing one). */
const seed = process.env['YAML_READINGS_SEED'] ? Number(process.env['YAML_READINGS_SEED']) : undefined;
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const readFixture = (relative: string) => readFileSync(path.join(fixtures, relative), 'utf8');
const readFast = (text: string) => readWithLibraries(text, { file: 'spec.yaml' });

/** Asserts the fast reading of `text`, if any, is exactly the `yaml` reading. */
function expectSameAsYaml(text: string): boolean {
  const fast = readFast(text);
  if (!fast) return false;
  const slow = readWithYaml(text, { file: 'spec.yaml' });
  expect(slow.diagnostics).toEqual([]);
  const slowDocuments = slow.documents.map((d) => ({ index: d.index, value: d.value }));
  const fastDocuments = fast.documents.map((d) => ({ index: d.index, value: d.value }));
  expect(fastDocuments).toEqual(slowDocuments);
  // toEqual does not tell -0 from 0 or see key order; these do.
  expect(isDeepStrictEqual(fastDocuments, slowDocuments)).toBe(true);
  expect(JSON.stringify(fastDocuments)).toBe(JSON.stringify(slowDocuments));
  return true;
}

const KEYS = [
  'name',
  'image',
  'workerConfig',
  'minNum',
  'a',
  'b',
  'x',
  '$schema',
  'app-name',
  'a.b',
  'a/b',
  'a_b',
  'A',
  'ok',
  'true',
  'True',
  'null',
  'NULL',
  '~',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '1',
  '0x1',
  '-a',
  '<<',
  '__proto__',
  'constructor',
  'prototype',
  '"quoted"',
  "'single'",
  'a b',
  'a:b',
  'a#b',
  'key ',
  '? a',
  '&x a',
  '!t a',
  '*x',
  '[a]',
  '{a: 1}',
  'é',
  '',
];

const SCALARS = [
  'plain',
  'two words',
  'ghcr.io/acme/x:1.2.0',
  'python -m server --port 8080',
  'http://h:80/p?q=1',
  '/health',
  'a#b',
  'a # comment',
  'x # c # d',
  'a: b',
  'a:',
  'a:b',
  'a,b',
  'a[0]',
  'a]',
  'a}',
  'b "c"',
  "it's",
  'end\\',
  '$${x}',
  '${env:HF_TOKEN}',
  'café',
  '日本語',
  '😀',
  'yes',
  'no',
  'on',
  'off',
  'Yes',
  'y',
  'n',
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'FALSE',
  '0',
  '-0',
  '00',
  '007',
  '08',
  '+1',
  '-1',
  '1_000',
  '0o17',
  '0x1F',
  '0b11',
  '1e3',
  '1E-3',
  '1.',
  '.5',
  '1.0',
  '-1.50',
  '0.1',
  '3.14159265358979323846',
  '123456789012345',
  '1234567890123456',
  '123456789012345678901',
  '9007199254740993',
  '.inf',
  '-.Inf',
  '.NaN',
  '+.inf',
  '2024-01-01',
  '2001-12-14t21:59:43.10-05:00',
  '12:30',
  '1:20:00',
  '-',
  '- x',
  '-x',
  '--',
  '? x',
  ':x',
  '&a x',
  '*a',
  '!!str 1',
  '!foo x',
  '!!binary aGk=',
  '|',
  '>',
  '|-\n  a',
  '%x',
  '@x',
  '`x',
  '#',
  ' lead',
  'trail ',
  'a\u00a0b',
  '\u00a0',
  'a\tb',
  '"quoted"',
  '""',
  '"a\\"b"',
  '"a\\\\b"',
  '"\\n\\t\\/"',
  '"\\u00e9"',
  '"\\ud83d\\ude00"',
  '"\\x41"',
  '"\\U0001F600"',
  '"\\N"',
  '"\\q"',
  '"a # b"',
  '"a: b"',
  "'single'",
  "''",
  "'it''s'",
  "'a # b'",
  "'unterminated",
  '"unterminated',
  '"a"b',
  '"a" # c',
  '"a"#c',
  "'a' x",
  '[]',
  '[ ]',
  '{}',
  '{ }',
  '[a, b]',
  '[a,b]',
  '[ a , b ]',
  '[1, "2", {c: d}]',
  '[a,]',
  '[a, , b]',
  '[[a], [b, [c]]]',
  '[-1, 0.5, true, null, ~]',
  '{a: 1, b: [x, y]}',
  '{a: 1, a: 2}',
  '{a:1}',
  '{a: }',
  '{"a": 1}',
  '{a: b: c}',
  '[a: 1]',
  '[a, b] # c',
  '[a, b]x',
  '{__proto__: 1}',
  '[x]]',
  '[a:b]',
  '[http://h:80/p]',
  '[a#b]',
  '[a #b]',
  '{a: b:c}',
  '[a"b]',
  "[a'b]",
  '[a!b]',
  '[a&b]',
  '[é]',
  '[a?b]',
  '[a%b]',
  '{a: x y}',
  '[ ]x',
  '"\\ud800"',
  '"\\udc00x"',
  '[yes, 0x1, 1_0, .5]',
  '{a: [{b: "c"}]}',
  '[a b]',
  '[*a]',
  '[&a x]',
  '[!t x]',
  '{? a}',
];

const layoutOptions = fc.record({
  indent: fc.integer({ min: 1, max: 4 }),
  sequenceIndented: fc.boolean(),
  compactSequenceMappings: fc.boolean(),
  spaceBeforeColon: fc.constantFrom('', '', '', '', '', ' ', '  '),
  spaceAfterIndicator: fc.constantFrom(' ', ' ', ' ', ' ', ' ', '  '),
  trailingComments: fc.boolean(),
  commentLines: fc.boolean(),
  leadingMarker: fc.constantFrom<string>('', '', '', '', '', '---\n', '# c\n---\n', '---\n---\n', '--- # x\n', '%YAML 1.2\n---\n', '...\n'),
  documentEnd: fc.constantFrom<string>('', '', '', '', '\n', '\n\n', '---\n', '...\n', '\n---'),
});
type Layout = typeof layoutOptions extends fc.Arbitrary<infer T> ? T : never;

type Tree = { scalar: string } | { map: [string, Tree][] } | { seq: Tree[] };

/** Scalars typical of specs; the generator mostly uses these so that it exercises acceptance. */
const COMMON_SCALARS = [
  'plain',
  'two words',
  'ghcr.io/acme/x:1.2.0',
  '/health',
  '0',
  '1',
  '-1',
  '30',
  '0.5',
  'true',
  'null',
  '"1"',
  "'x'",
  '[]',
  '{}',
  '[a, 1]',
  '{a: 1}',
];

const scalarSource = fc.oneof(
  { weight: 60, arbitrary: fc.constantFrom(...COMMON_SCALARS) },
  { weight: 5, arbitrary: fc.constantFrom(...SCALARS) },
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        'a',
        'b',
        '1',
        '0',
        ' ',
        ':',
        '#',
        '-',
        '.',
        '"',
        "'",
        '\\',
        ',',
        '[',
        ']',
        '{',
        '}',
        '&',
        '*',
        '!',
        '|',
        '>',
        '%',
        '@',
        '?',
        'é',
        '\t',
        '\r',
      ),
      maxLength: 8,
    }),
  },
);

const key = fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...KEYS.slice(0, 14)) }, { weight: 1, arbitrary: fc.constantFrom(...KEYS) });

/** Mapping entries, mostly with unique keys (a repeated key only shows that the fast reading declines). */
function entries(keys: fc.Arbitrary<string>, value: fc.Arbitrary<Tree>, maxLength: number, repeats = true): fc.Arbitrary<[string, Tree][]> {
  const options = { minLength: 1, maxLength };
  const unique = fc.uniqueArray(fc.tuple(keys, value), { ...options, selector: ([k]) => k });
  if (!repeats) return unique;
  return fc.oneof({ weight: 9, arbitrary: unique }, { weight: 1, arbitrary: fc.array(fc.tuple(keys, value), options) });
}

/**
 * Root mappings of the scalars and keys given. `nearMisses` also repeats keys now and then, and
 * nests lists directly in lists (written with `-` alone on a line).
 */
function treesOf(scalars: fc.Arbitrary<string>, keys: fc.Arbitrary<string>, nearMisses = true): fc.Arbitrary<Tree> {
  const trees = fc.letrec<{ tree: Tree; map: Tree; seq: Tree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: scalars.map((scalar) => ({ scalar })) },
      { weight: 2, arbitrary: tie('map') },
      { weight: 2, arbitrary: tie('seq') },
    ),
    map: entries(keys, tie('tree'), 4, nearMisses).map((map) => ({ map })),
    seq: fc
      .array(
        nearMisses
          ? tie('tree')
          : fc.oneof(
              scalars.map((scalar) => ({ scalar })),
              tie('map'),
            ),
        { minLength: 1, maxLength: 3 },
      )
      .map((seq) => ({ seq })),
  }));
  return entries(keys, trees.tree, 6, nearMisses).map((map): Tree => ({ map }));
}

const rootMapping = treesOf(scalarSource, key);

/** Renders a tree as block YAML with the layout's choices (the result need not be valid YAML). */
function render(root: Tree, layout: Layout): string {
  const lines: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const comment = (i: number) => (layout.trailingComments && i % 3 === 0 ? ' # note' : '');
  let counter = 0;
  const emit = (line: string) => {
    counter++;
    if (layout.commentLines && counter % 4 === 0) lines.push(`${pad(counter % 5)}# comment`);
    lines.push(line + comment(counter));
  };
  const mapping = (entries: [string, Tree][], column: number, firstPrefix?: string) => {
    entries.forEach(([key, value], i) => {
      const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : pad(column);
      const head = `${prefix}${key}${layout.spaceBeforeColon}:`;
      if ('scalar' in value) emit(`${head}${layout.spaceAfterIndicator}${value.scalar}`);
      else {
        emit(head);
        const child = 'seq' in value && !layout.sequenceIndented ? column : column + layout.indent;
        node(value, child);
      }
    });
  };
  const sequence = (items: Tree[], column: number) => {
    for (const item of items) {
      const dash = `${pad(column)}-${layout.spaceAfterIndicator}`;
      if ('scalar' in item) emit(`${dash}${item.scalar}`);
      else if ('map' in item && layout.compactSequenceMappings) mapping(item.map, dash.length, dash);
      else {
        emit(`${pad(column)}-`);
        node(item, column + layout.indent);
      }
    }
  };
  const node = (value: Tree, column: number) => {
    if ('map' in value) mapping(value.map, column);
    else if ('seq' in value) sequence(value.seq, column);
    else emit(`${pad(column)}${value.scalar}`);
  };
  node(root, 0);
  return lines.join('\n');
}

const document = fc.tuple(rootMapping, layoutOptions).map(([root, layout]) => render(root, layout));
const yamlText = fc
  .tuple(fc.array(document, { minLength: 1, maxLength: 3 }), layoutOptions)
  .map(([documents, layout]) => `${layout.leadingMarker}${documents.join('\n---\n')}${layout.documentEnd}\n`);

// Texts in the plain block subset the fast reading accepts, and just outside it: the scalars
// and keys a spec may hold, with every core-schema spelling (numbers, booleans, null) and the
// near misses (`-` alone, `- -`, `"a"#c`, escapes, indicators), in layouts with indentation
// mistakes, stray lines and CRLF line ends.
/** Every spelling YAML 1.2's core schema resolves (or nearly does): numbers, booleans, null. */
const CORE_SPELLINGS = [
  ...['0b11', '-0b11', '1_000', '1__0', '_1', '1_', '0x1F', '-0x1F', '+0x1F', '0X1F', '0x', '0o17', '-0o17', '0O17', '0o8', '0o'],
  ...['0', '-0', '+0', '00', '007', '08', '+1', '-1', '+12', '123456789012345678901', '9007199254740993', '0.', '-0.0'],
  ...['1e3', '1E-3', '1e+3', '-1e3', '1.e3', '.5e3', '1e400', '-1e400', '1e', 'e3', '.e3', '1.', '.5', '-.5', '+.5', '.'],
  ...['.inf', '.Inf', '.INF', '-.inf', '+.inf', '.iNf', 'inf', '.NaN', '.nan', '.NAN', '-.nan', '+.nan', 'NaN', '-.', '+', '+-1'],
  ...['~', '-~', 'null', 'Null', 'NULL', 'nUll', 'true', 'True', 'TRUE', 'tRue', 'false', 'False', 'FALSE', 'yes', 'No', 'on', 'y'],
  ...['2024-01-01', '12:30', '1:20:00'],
];

/** Scalars with odd characters that the subset holds. */
const ODD_SCALARS = [
  ...['-x', '-1-', 'a#b', 'a#', 'a:b', 'a :b', 'http://h:80/p?q=1#f', 'x?', 'x!', 'x&y', 'x*y', 'x|y', 'x>y', 'a]', 'a}', 'a,b'],
  ...['a[0]', 'a{b}', "it's", 'b "c"', 'end\\', 'a\u00a0b', '\u00a0', 'a\u00a0', '\u3000x', 'trail  ', '$${x}', '😀', 'é', 'a...'],
  ...['"a" # c', '"a\\"b"', '"a\\\\b"', '"\\n\\t\\/\\b\\f\\r"', '"\\u00e9"', '"\\u00E9"', '"\\ud800"', '"\\ud83d\\ude00"', '"#"', '": "'],
  ...["'it''s'", "''", '""', "'a' # c", "'\\n'", "' a '", "'#'", "': '", '"a  b"', "'a\\'"],
];

/** One-line flow lists the subset holds. */
const FLOW_LISTS = [
  ...['[]', '[ ]', '[a]', '[a, b]', '[a,b]', '[ a , b ]', '["a", \'b\']', '["endpoints/**/*.{yaml,yml,json}"]', '[overlays/prod/*.yaml]'],
  ...['[1, -1, +1, -0, 0x1F, -0x1F, 0o17, 0b11, 1_000, 1e3, .5, -.5, .inf, -.Inf, .nan, ~, null, Null, true, FALSE, yes]'],
  ...['[a b]', '[a?b, a!b, a&b, a*b, a%b, a|b, a>b, a@b, a`b, a\\b]', '[é, 😀, a\u00a0b, \u00a0]', '[a-, -a, --a]', '[a] # c'],
  ...['["a\\"b", \'it\'\'s\', "\\u00e9", "a, b", \'[x]\', "#", \': \']'],
];

/** Flow lists just outside the subset. */
const FLOW_NEAR_MISSES = [
  ...['[a  b]', '[-]', '[a,]', '[a, , b]', '[,a]', '[a]x', '[a]#c', '[[a]]', '[{a: 1}]', '[a: 1]', '[a:b]', '[a #b]', '[a#b]', '[?a]'],
  ...['[- a]', '[a, [b]]', '[a"b]', "[a'b]", '[a', 'a]', '[a] [b]', '["a" b]', '[*a]', '[&a a]', '[!t a]', '[a, b', '[a\tb]'],
];

/** Just outside the subset, or not YAML at all. */
const NEAR_MISSES = [
  ...FLOW_NEAR_MISSES,
  ...['-', '- x', '-- x', '--x', ':x', '?x', 'a #b', 'a  #b', 'a:', 'a: b', 'a\u2028b', 'a\u0085b', 'a\ufeffb', '%x', '@x', '`x'],
  ...['|', '>', '|-', '&a x', '*a', '!t x', '!!str 1', '? x', ',x', '---', '--- x', '...', '"a"#c', '"a"x', '"a" ', '"\\q"'],
  ...['"\\u00"', '"\\x41"', '"\\U0001F600"', '"\\N"', '"\\ "', '"a', '"a"b"', "'a''", "'a'x", "'a'#c", "'a", 'a\tb', 'a\rb'],
];

const SUBSET_KEYS = ['name', 'image', 'minNum', 'a', 'x', '$schema', '$', 'app-name', 'a.b', 'a/b', 'a_b', '_', 'A', 'a1', 'a-', 'a$'];
SUBSET_KEYS.push('1', '0', '00', '0x1', '0o7', '1e3', '1_0', 'true', 'True', 'null', 'NULL', 'y');
const NEAR_KEYS = ['-0', '.5', '~', 'é', '-a', 'a b', '"a"', "'a'", '__proto__', 'constructor', 'a:b', 'a#b', '? a', '<<', '[a]'];

const inSubsetScalar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...COMMON_SCALARS.filter((scalar) => !/^[{]/.test(scalar))) },
  { weight: 1, arbitrary: fc.constantFrom(...FLOW_LISTS) },
  { weight: 4, arbitrary: fc.constantFrom(...CORE_SPELLINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD_SCALARS) },
);
const nearSubsetScalar = fc.oneof(
  { weight: 10, arbitrary: inSubsetScalar },
  { weight: 1, arbitrary: fc.constantFrom(...NEAR_MISSES) },
  { weight: 1, arbitrary: fc.constantFrom(...SCALARS) },
);
const inSubsetKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...KEYS.slice(0, 8)) },
  { weight: 1, arbitrary: fc.constantFrom(...SUBSET_KEYS) },
);
const nearSubsetKey = fc.oneof({ weight: 10, arbitrary: inSubsetKey }, { weight: 1, arbitrary: fc.constantFrom(...NEAR_KEYS) });

const subsetLayout = fc.noBias(
  fc.record({
    indent: fc.integer({ min: 1, max: 4 }),
    sequenceIndented: fc.boolean(),
    compactSequenceMappings: fc.constantFrom(true, true, true, false),
    spaceBeforeColon: fc.constantFrom('', '', '', '', ' ', '', '', '', '', ''),
    spaceAfterIndicator: fc.constantFrom(' ', ' ', ' ', ' ', '  ', ' ', ' ', ' ', ' ', ' '),
    trailingComments: fc.boolean(),
    commentLines: fc.boolean(),
    leadingMarker: fc.constantFrom<string>('', '', '', '---\n', '---\n---\n', '# c\n---\n', '\n', '', ''),
    documentEnd: fc.constantFrom<string>('', '', '\n', '\n\n', '---\n', '...\n', '\n---', '\n# end', '', ''),
  }),
);

const STRAY_LINES = ['-', '- -', '- - a', '-  a', '- ', '--', '- a', '- a: b', 'a:', 'a: b', 'b: c', '? a', ': b', '---', '--- a', '...', '# c'];
STRAY_LINES.push('', ' ', 'a', '"a"', 'a: "b', '"a": b', 'a:b', 'a : b', '[a]: b', '- [a]', 'a: [b,', '  c]', 'a: |', '  b', 'a: &x b', 'c: *x');

/** Inserts a stray line, or moves a line's indentation by one or two columns. */
type LineEdit = { at: number; stray?: string; indent: number };
const lineEdit: fc.Arbitrary<LineEdit> = fc.record({
  at: fc.nat(),
  stray: fc.option(fc.constantFrom(...STRAY_LINES), { freq: 2 }).map((line) => line ?? undefined),
  indent: fc.integer({ min: -2, max: 2 }),
});
const editLines = (text: string, edit: LineEdit): string => {
  const lines = text.split('\n');
  const at = edit.at % lines.length;
  const line = lines[at] ?? '';
  const column = line.length - line.trimStart().length;
  if (edit.stray !== undefined) lines.splice(at, 0, ' '.repeat(Math.max(0, column + edit.indent)) + edit.stray);
  else lines[at] = ' '.repeat(Math.max(0, column + edit.indent)) + line.trimStart();
  return lines.join('\n');
};

/**
 * Texts in the subset, in varied layouts (indentation, comments, document markers, CRLF line
 * ends); with `nearMisses`, also scalars, keys and layouts just outside it, and with `edits`
 * stray lines and indentation mistakes.
 */
function subsetTexts(nearMisses: boolean, edits: boolean): fc.Arbitrary<string> {
  const tree = nearMisses ? treesOf(nearSubsetScalar, nearSubsetKey) : treesOf(inSubsetScalar, inSubsetKey, false);
  const layout = nearMisses
    ? subsetLayout
    : subsetLayout.map((choices): Layout => ({ ...choices, spaceBeforeColon: '', spaceAfterIndicator: ' ', compactSequenceMappings: true }));
  const document = fc.tuple(tree, layout).map(([root, choices]) => render(root, choices));
  return fc
    .record({
      documents: fc.array(document, { minLength: 1, maxLength: 2 }),
      layout,
      edits: edits ? fc.array(lineEdit, { minLength: 1, maxLength: 2 }) : fc.constant<LineEdit[]>([]),
      crlf: fc.constantFrom(false, false, true, false),
    })
    .map(({ documents, layout, edits, crlf }) => {
      const text = edits.reduce(editLines, `${layout.leadingMarker}${documents.join('\n---\n')}${layout.documentEnd}\n`);
      return crlf ? text.replaceAll('\n', '\r\n') : text;
    });
}
const subsetText = fc.oneof(
  { weight: 2, arbitrary: subsetTexts(false, false) },
  { weight: 1, arbitrary: subsetTexts(true, false) },
  { weight: 1, arbitrary: subsetTexts(true, true) },
);

const SPECIAL_INSERTS = [
  '\n',
  ' ',
  '  ',
  ':',
  ': ',
  '- ',
  '-',
  '#',
  ' #',
  '"',
  "'",
  '\\',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '!!str ',
  '|',
  '>',
  '? ',
  '---\n',
  '...\n',
  '%',
  '\t',
  '\r',
  '\u00a0',
  '\uFEFF',
  'yes',
  '0x',
  '1_',
  '.5',
  '~',
  'null',
  '__proto__',
  'é',
  '😀',
];

type Mutation = { at: number; remove: number; insert: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  remove: fc.integer({ min: 0, max: 3 }),
  insert: fc.oneof(fc.constantFrom(...SPECIAL_INSERTS), fc.constant('')),
});
const mutate = (text: string, m: Mutation): string => {
  const at = m.at % (text.length + 1);
  return text.slice(0, at) + m.insert + text.slice(at + m.remove);
};

const BENCH_LIKE_SPEC = [
  '# yaml-language-server: $schema=../../schemas/endpoint.schema.json',
  'name: model-0001',
  'appName: model-0001',
  'image:',
  '  image: ghcr.io/acme/model-0001:1.1.0',
  '  command: python -m server --port 8080 --workers 2',
  'workerConfig:',
  '  minNum: 1',
  '  maxNum: 3',
  'ports:',
  '  - port: 8080',
  'policy:',
  '  type: queue',
  '  value: 11',
  'products:',
  '  - id: "2"',
  'volumeMounts:',
  '  - type: local',
  '    size: 30',
  '    mountPath: /workspace',
  'envs:',
  '  - key: MAX_BATCH',
  '    value: "5"',
  'healthy:',
  '  path: /health',
  '',
].join('\n');

const SEEDS = [
  BENCH_LIKE_SPEC,
  readFixture('validate/valid/endpoints/more.yaml'),
  'concurrency: 8\nspecs:\n  - "endpoints/*.yaml"\n',
  'specs: ["endpoints/**/*.{yaml,yml,json}"]   # default\nconcurrency: 8\nenvironments:\n  prod:\n    patches: [overlays/prod/*.yaml]\n',
];

/** YAML outside the plain block subset: `yaml` reads it (the same values as in BENCH_LIKE_SPEC's style). */
const OUTSIDE_THE_SUBSET = [
  readFixture('load/valid-spec.yaml'),
  'specs: [\n  "endpoints/*.yaml"\n]\n',
  'a: {b: c}\n',
  'a: &x\n  b: 1\nc: *x\n',
  'command: |\n  python -m server\n',
  'a: !!str 1\n',
  'a:\tb\n',
  '%YAML 1.2\n---\na: b\n',
  'a: b\n...\n',
  'a:\n-\n  b: c\n',
];

describe('the two YAML readings', () => {
  it('reads typical specs, multi-document files and configs with one-line lists (the fast reading is used)', () => {
    for (const seed of SEEDS) expect(expectSameAsYaml(seed)).toBe(true);
  });

  it('leaves YAML outside the plain block subset to `yaml` (flow mappings and keys, multi-line lists, anchors, block scalars, tags, tabs, directives)', () => {
    for (const text of OUTSIDE_THE_SUBSET) {
      expect(readFast(text)).toBeUndefined();
      expect(parseYamlText(text, { file: 'spec.yaml' }).diagnostics).toEqual([]);
    }
    const aliased = parseYamlText('a: &x\n  b: [1]\nc: *x\n', { file: 'spec.yaml' }).documents[0]?.value as { a: unknown; c: unknown };
    expect(aliased).toEqual({ a: { b: [1] }, c: { b: [1] } });
    expect(aliased.a).not.toBe(aliased.c);
  });

  it('resolves plain scalars as YAML 1.2 core, exactly as `yaml` does (numbers, booleans, null spellings)', () => {
    for (const scalar of CORE_SPELLINGS) {
      expect([scalar, expectSameAsYaml(`a: ${scalar}\nb:\n  - ${scalar}\n`)]).toEqual([scalar, true]);
    }
  });

  it('builds exactly what `yaml` builds, and only for texts `yaml` reports nothing about (the plain block subset and its edge)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(subsetText, (text) => {
        if (expectSameAsYaml(text)) accepted++;
      }),
      { numRuns: runs, seed },
    );
    if (process.env['YAML_READINGS_RUNS']) process.stdout.write(`subset: accepted ${accepted} of ${runs} (seed ${seed ?? 'random'})\n`);
    // The generator must exercise the fast reading, not only its refusals.
    expect(accepted).toBeGreaterThan(runs / 4);
  });

  it('builds exactly what `yaml` builds, and only for texts `yaml` reports nothing about (generated YAML)', () => {
    fc.assert(
      fc.property(yamlText, (text) => {
        expectSameAsYaml(text);
      }),
      { numRuns: runs, seed },
    );
  });

  it('builds exactly what `yaml` builds, and only for texts `yaml` reports nothing about (mutated specs)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 3 }), (seed, mutations) => {
        expectSameAsYaml(mutations.reduce(mutate, seed));
      }),
      { numRuns: runs, seed },
    );
  });

  it('leaves problems to `yaml`: the same diagnostics (rule, line, column, message) as before', () => {
    const problems: [text: string, rule: string, line: number, column: number][] = [
      ['name: a\nname: b\n', 'duplicate-key', 2, 1],
      ['name: a\n__proto__: 1\n', 'forbidden-key', 2, 1],
      ['name: a\nconstructor: {}\n', 'forbidden-key', 2, 1],
      ['name: a\n---\n', 'no-diagnostic', 0, 0],
      ['- name: a\n', 'not-an-object', 1, 1],
      ['name: a\n\tbad: 1\n', 'parse-error', 2, 1],
      ['name: [a,\n  b\n', 'parse-error', 3, 1],
      ['a: &x [*x]\n', 'alias-bomb', 1, 8],
      ['[a]: b\n', 'non-string-key', 1, 1],
    ];
    for (const [text, rule, line, column] of problems) {
      // A list is read; it is the spec loader that refuses it.
      if (rule !== 'not-an-object') expect(readFast(text)).toBeUndefined();
      const result = parseSpecText(text, 'spec.yaml', '/abs/spec.yaml');
      if (rule === 'no-diagnostic') expect(result.diagnostics).toEqual([]);
      else expect(result.diagnostics[0]).toMatchObject({ rule, line, column });
    }
  });

  it('finds a repeated JSON key that JSON.parse dropped, whatever the strings hold', () => {
    const repeated = [
      '{"name": "a", "name": "b"}',
      // The dropped value's colons, and a colon inside a key, are counted.
      '{"image": "x:1", "a:b": 1, "image": "y:2"}',
      // A `\u003a` writes a colon the text does not show: it would balance the dropped key.
      '{"name": "a", "name": "b", "note": "\\u003a"}',
      '{"name": "a", "name": "b", "note": "\\u003A\\\\\\u003a"}',
      '[{"name": "a"}, {"name": "b", "envs": [{"key": "K", "key": "L"}]}]',
    ];
    for (const text of repeated) {
      expect(readWithLibraries(text, { file: 'spec.json', syntax: 'JSON' })).toBeUndefined();
      expect(parseSpecText(text, 'spec.json', '/abs/spec.json').diagnostics[0]).toMatchObject({ rule: 'duplicate-key' });
    }
    for (const distinct of [
      '{"name": "a", "image": {"image": "ghcr.io/x:1", "note": "a: b::c"}, "a:b": [":"]}',
      // An escaped colon, and a backslash followed by `u003a` (not an escape).
      '{"name": "\\u0041", "note": "\\u003a", "path": "C:\\\\u003a"}',
    ]) {
      expect(readWithLibraries(distinct, { file: 'spec.json', syntax: 'JSON' })?.documents[0]?.value).toEqual(JSON.parse(distinct));
    }
  });

  it('declines deeply nested collections instead of overflowing the stack', () => {
    const deep = `{"name": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(readWithLibraries(deep, { file: 'spec.json', syntax: 'JSON' })).toBeUndefined();
    expect(parseSpecText(deep, 'spec.json', '/abs/spec.json').diagnostics[0]).toMatchObject({ rule: 'parse-error' });
  });

  it('locates pointers of fast-read documents exactly as the `yaml` path does', () => {
    const text = readFixture('validate/valid/endpoints/more.yaml');
    const fast = parseSpecText(text, 'more.yaml', '/abs/more.yaml');
    const slow = readWithYaml(text, { file: 'more.yaml' });
    expect(fast.documents.map((d) => d.index)).toEqual([0, 1]);
    for (const [i, document] of fast.documents.entries()) {
      for (const pointer of ['', '/name', '/image/image', '/ports/0/port', '/volumeMounts/0/mountPath', '/no/such']) {
        for (const target of ['key', 'value'] as const) {
          expect(document.locate(pointer, target)).toEqual(slow.documents[i]?.locate(pointer, target));
        }
      }
    }
    expect(fast.documents[1]?.locate('/name', 'value')).toEqual({ line: 29, column: 7 });
  });
});
