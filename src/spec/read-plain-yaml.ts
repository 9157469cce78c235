/**
 * The fast path of the YAML reader, for the files specs almost always are: block mappings and
 * sequences of one-line scalars. `yaml`, which gives the diagnostics and positions, costs
 * ~0.5 ms per typical spec file (and ~50 ms to load); this line reader takes tens of microseconds.
 *
 * It accepts only a small subset of YAML where the value it builds is exactly the one the
 * `yaml` path builds (YAML 1.2 core schema, as `yaml` resolves it) and where `yaml` reports no
 * error or warning: documents separated by `---` lines, each a block mapping at column 1; keys
 * that are plain identifiers, unique and allowed; values that are one-line plain or quoted
 * scalars, one-line flow collections of such scalars, or nested blocks; comments. Anything
 * else (anchors, aliases, tags, block scalars, multi-line scalars or flow collections, tabs,
 * ambiguous numbers…) returns `undefined`, and the caller reads the file with `yaml` as before.
 * test/spec/fast-path.property.test.ts checks the equivalence on generated and mutated files.
 */
import { FORBIDDEN_KEYS } from './forbidden-keys.js';

/** Returned by the readers below when the input leaves the subset. */
const DECLINE: unique symbol = Symbol('decline');
type Read<T> = T | typeof DECLINE;

/**
 * Characters whose handling differs in ways not worth reproducing: tabs (indentation
 * errors), carriage returns and other line separators (line counting), a byte-order mark
 * inside the text, control characters.
 */
const AWKWARD_CHARACTERS = /[\t\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\uFEFF\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Keys read here: identifiers, as spec and config keys are. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$./-]{0,200}$/;

/** Characters of a plain scalar inside a flow collection (`[a, b]`), and those that end it. */
const FLOW_PLAIN_ITEM = /^[A-Za-z0-9_$./-]+$/;
const FLOW_PLAIN_END = new Set([',', ']', '}', ' ']);

/** Flow collections nest at most this deep on the fast path (the reader recurses). */
const MAX_FLOW_DEPTH = 8;

/** Plain scalars that the YAML 1.2 core schema resolves to null or a boolean. */
const PLAIN_WORDS = new Map<string, null | boolean>([
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/**
 * Numbers whose core-schema value is the same however the digits are converted (at most 15
 * significant digits each side of the point, no sign but `-`, no leading zeros, no exponent).
 */
const SIMPLE_NUMBER = /^-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;

/**
 * First characters of plain scalars left to `yaml`: YAML indicators (anchors, tags, aliases,
 * block scalars, flow collections, quotes…) and everything the core schema might read as a
 * number (`0x1F`, `+1`, `.5`, `1_000`, `.inf`, `2024-01-01`).
 */
const LEFT_TO_YAML_START = /^[-?:,[\]{}#&*!|>'"%@`+.0-9~]/;

/** Double-quoted escapes read here; any other escape leaves the file to `yaml`. */
const SIMPLE_ESCAPE = /\\(?:(["\\/])|(n)|(t)|u([0-9a-fA-F]{4}))/y;

interface Line {
  indent: number;
  /** The text after the indentation (comment lines and blank lines are dropped). */
  content: string;
}

interface Cursor {
  lines: Line[];
  next: number;
}

/** The value of each of `text`'s documents, or undefined when `text` needs the `yaml` path. */
export function readPlainYaml(text: string): { documents: Record<string, unknown>[] } | undefined {
  const split = splitDocuments(text);
  if (!split) return undefined;
  const documents: Record<string, unknown>[] = [];
  for (const lines of split) {
    const cursor: Cursor = { lines, next: 0 };
    const value = readMapping(cursor, 0);
    if (value === DECLINE || cursor.next !== lines.length) return undefined;
    documents.push(value);
  }
  return { documents };
}

/**
 * The content lines of each `---`-separated document (comment and blank lines dropped), or
 * undefined when a line is outside the subset. Every document must have content, so document
 * indexes are the same as `yaml`'s.
 */
function splitDocuments(text: string): Line[][] | undefined {
  if (AWKWARD_CHARACTERS.test(text)) return undefined;
  const documents: Line[][] = [[]];
  let openedByMarker = false;
  for (const raw of text.split('\n')) {
    // Only spaces indent (String#trim would also take other Unicode spaces, which YAML does not).
    const indent = leadingSpaces(raw, 0);
    const content = trimEndSpaces(raw.slice(indent));
    if (content === '' || content.startsWith('#')) continue;
    const current = documents.at(-1) as Line[];
    if (indent === 0 && /^(?:---|\.\.\.|%)/.test(content)) {
      // A `---` line starts a document (the first one may open the file); any other marker,
      // a directive, or `---` with content after it is left to `yaml`.
      if (content !== '---') return undefined;
      if (current.length > 0) documents.push([]);
      else if (openedByMarker || documents.length > 1) return undefined;
      openedByMarker = true;
      continue;
    }
    current.push({ indent, content });
  }
  return documents.every((lines) => lines.length > 0) ? documents : undefined;
}

/** A nested block (mapping or sequence) that starts at the cursor. */
function readBlock(cursor: Cursor): Read<unknown> {
  const line = cursor.lines[cursor.next] as Line;
  return isSequenceEntry(line.content) ? readSequence(cursor, line.indent) : readMapping(cursor, line.indent);
}

const isSequenceEntry = (content: string): boolean => content === '-' || content.startsWith('- ');

function readMapping(cursor: Cursor, indent: number): Read<Record<string, unknown>> {
  const result: Record<string, unknown> = {};
  for (let line = cursor.lines[cursor.next]; line && line.indent >= indent; line = cursor.lines[cursor.next]) {
    if (line.indent > indent || isSequenceEntry(line.content)) return DECLINE;
    const entry = splitKey(line.content);
    if (!entry || Object.hasOwn(result, entry.key)) return DECLINE;
    cursor.next++;
    const value = readValue(cursor, indent, entry.rest, true);
    if (value === DECLINE) return DECLINE;
    result[entry.key] = value;
  }
  return result;
}

function readSequence(cursor: Cursor, indent: number): Read<unknown[]> {
  const result: unknown[] = [];
  for (let line = cursor.lines[cursor.next]; line && line.indent === indent && isSequenceEntry(line.content); line = cursor.lines[cursor.next]) {
    const rest = line.content.slice(leadingSpaces(line.content, 1));
    const item = splitKey(rest) ? readCompactMapping(cursor, line, rest) : (cursor.next++, readValue(cursor, indent, rest, false));
    if (item === DECLINE) return DECLINE;
    result.push(item);
  }
  const after = cursor.lines[cursor.next];
  return after && after.indent > indent ? DECLINE : result;
}

/** `- key: value` and the keys under it: a mapping whose indentation is the column of `key`. */
function readCompactMapping(cursor: Cursor, line: Line, rest: string): Read<Record<string, unknown>> {
  const indent = line.indent + line.content.length - rest.length;
  cursor.lines[cursor.next] = { indent, content: rest };
  return readMapping(cursor, indent);
}

/**
 * The value after `key:` (or `-`), given the rest of its line. An empty rest means a nested
 * block on the following, more indented lines (or a sequence at the same indentation, after a
 * key), else null.
 */
function readValue(cursor: Cursor, indent: number, rest: string, afterKey: boolean): Read<unknown> {
  const next = cursor.lines[cursor.next];
  if (rest === '' || rest.startsWith('#')) {
    if (next && (next.indent > indent || (afterKey && next.indent === indent && isSequenceEntry(next.content)))) return readBlock(cursor);
    return null;
  }
  return readInlineValue(rest);
}

/** `key: rest` when the line starts with a plain identifier key; undefined otherwise. */
function splitKey(content: string): { key: string; rest: string } | undefined {
  const colon = content.indexOf(':');
  if (colon === -1) return undefined;
  const after = content[colon + 1];
  if (after !== undefined && after !== ' ') return undefined;
  const key = trimEndSpaces(content.slice(0, colon));
  if (!PLAIN_KEY.test(key) || PLAIN_WORDS.has(key) || FORBIDDEN_KEYS.has(key)) return undefined;
  return { key, rest: content.slice(leadingSpaces(content, colon + 1)) };
}

/** A one-line value: a quoted or plain scalar, or a flow collection. */
function readInlineValue(rest: string): Read<unknown> {
  const first = rest[0];
  if (first === '"' || first === "'" || first === '[' || first === '{') {
    const item = first === '[' || first === '{' ? readFlowCollection(rest, 0, 0) : readQuoted(rest, 0);
    return item === DECLINE || !isCommentOrEnd(rest.slice(item.end)) ? DECLINE : item.value;
  }
  return readPlain(withoutComment(rest));
}

/** A plain scalar as the YAML 1.2 core schema resolves it, when that is unambiguous. */
function readPlain(source: string): Read<unknown> {
  const word = PLAIN_WORDS.get(source);
  if (word !== undefined) return word;
  if (SIMPLE_NUMBER.test(source)) return Number(source);
  // `a: b` inside a value or a trailing `:` would make a key where none is allowed.
  if (LEFT_TO_YAML_START.test(source) || source.includes(': ') || source.endsWith(':')) return DECLINE;
  return source;
}

/** The text before a ` #` comment, without trailing spaces. */
function withoutComment(rest: string): string {
  const comment = rest.indexOf(' #');
  return trimEndSpaces(comment === -1 ? rest : rest.slice(0, comment));
}

/** Offset of the first character at or after `from` that is not a space. */
function leadingSpaces(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ') i++;
  return i;
}

function trimEndSpaces(text: string): string {
  let end = text.length;
  while (text[end - 1] === ' ') end--;
  return text.slice(0, end);
}

const isCommentOrEnd = (text: string): boolean => text === '' || /^ +(?:#.*)?$/.test(text);

interface Item {
  value: unknown;
  /** Offset just after the item. */
  end: number;
}

/** A quoted scalar starting at `start`. */
function readQuoted(text: string, start: number): Read<Item> {
  return text[start] === "'" ? readSingleQuoted(text, start) : readDoubleQuoted(text, start);
}

function readSingleQuoted(text: string, start: number): Read<Item> {
  let value = '';
  let i = start + 1;
  for (;;) {
    const quote = text.indexOf("'", i);
    if (quote === -1) return DECLINE;
    value += text.slice(i, quote);
    if (text[quote + 1] !== "'") return { value, end: quote + 1 };
    value += "'";
    i = quote + 2;
  }
}

function readDoubleQuoted(text: string, start: number): Read<Item> {
  let value = '';
  let i = start + 1;
  for (;;) {
    const stop = indexOfEither(text, '"', '\\', i);
    if (stop === -1) return DECLINE;
    value += text.slice(i, stop);
    if (text[stop] === '"') return { value, end: stop + 1 };
    SIMPLE_ESCAPE.lastIndex = stop;
    const escape = SIMPLE_ESCAPE.exec(text);
    if (!escape) return DECLINE;
    const [, literal, newline, tab, hex] = escape;
    value += literal ?? (newline ? '\n' : tab ? '\t' : String.fromCharCode(parseInt(hex as string, 16)));
    i = SIMPLE_ESCAPE.lastIndex;
  }
}

function indexOfEither(text: string, a: string, b: string, from: number): number {
  const i = text.indexOf(a, from);
  const j = text.indexOf(b, from);
  return i === -1 ? j : j === -1 ? i : Math.min(i, j);
}

/**
 * `[a, "b", {c: 1}]` or `{a: 1, b: [x]}` starting at `start`, on one line: items are quoted
 * scalars, plain words and nested collections; no empty items, no trailing comma, plain keys
 * followed by `: `.
 */
function readFlowCollection(text: string, start: number, depth: number): Read<Item> {
  if (depth >= MAX_FLOW_DEPTH) return DECLINE;
  const isMapping = text[start] === '{';
  const closer = isMapping ? '}' : ']';
  const mapping: Record<string, unknown> = {};
  const sequence: unknown[] = [];
  let i = leadingSpaces(text, start + 1);
  if (text[i] === closer) return { value: isMapping ? mapping : sequence, end: i + 1 };
  for (;;) {
    if (isMapping) {
      const key = readFlowKey(text, i);
      if (key === DECLINE || Object.hasOwn(mapping, key.key)) return DECLINE;
      const value = readFlowItem(text, key.end, depth);
      if (value === DECLINE) return DECLINE;
      mapping[key.key] = value.value;
      i = leadingSpaces(text, value.end);
    } else {
      const item = readFlowItem(text, i, depth);
      if (item === DECLINE) return DECLINE;
      sequence.push(item.value);
      i = leadingSpaces(text, item.end);
    }
    if (text[i] === closer) return { value: isMapping ? mapping : sequence, end: i + 1 };
    if (text[i] !== ',') return DECLINE;
    i = leadingSpaces(text, i + 1);
  }
}

/** `key: ` inside a flow mapping; `end` is where its value starts. */
function readFlowKey(text: string, start: number): Read<{ key: string; end: number }> {
  const colon = text.indexOf(':', start);
  if (colon === -1 || text[colon + 1] !== ' ') return DECLINE;
  const key = trimEndSpaces(text.slice(start, colon));
  if (!PLAIN_KEY.test(key) || PLAIN_WORDS.has(key) || FORBIDDEN_KEYS.has(key)) return DECLINE;
  return { key, end: leadingSpaces(text, colon + 1) };
}

function readFlowItem(text: string, start: number, depth: number): Read<Item> {
  const first = text[start];
  if (first === '"' || first === "'") return readQuoted(text, start);
  if (first === '[' || first === '{') return readFlowCollection(text, start, depth + 1);
  let end = start;
  while (end < text.length && !FLOW_PLAIN_END.has(text[end] as string)) end++;
  const source = text.slice(start, end);
  if (!FLOW_PLAIN_ITEM.test(source)) return DECLINE;
  const value = readPlain(source);
  return value === DECLINE ? DECLINE : { value, end };
}
