/**
 * The one YAML reader for specs and the project config (JSON is YAML 1.2, so .json files go
 * through it too). Values come from fast libraries where they are sure to read a text as `yaml`
 * does: `JSON.parse` for JSON, js-yaml with YAML 1.2's core schema for YAML written in the plain
 * block subset specs are written in, checked in one walk (keys such as `__proto__`). `yaml`,
 * which keeps node positions, reads every other file (its errors and warnings come with
 * positions), and parses a fast-read file only when a diagnostic needs a position. A project of
 * plain specs without problems never parses with `yaml`.
 */
import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Alias, Document, Node, Scalar, YAMLError, YAMLMap } from 'yaml';
import { makeDiagnostic, type Diagnostic, type LocateFunction, type SourcePosition } from '../common/diagnostic.js';
import { FORBIDDEN_KEYS } from './forbidden-keys.js';
import { appendPointer, splitPointer } from '../common/json-pointer.js';

/**
 * How many nodes alias expansion may add to one document. A real spec has a few dozen nodes;
 * a "billion laughs" document needs billions, and stops here after a few milliseconds.
 */
const MAX_ALIAS_EXPANSION = 10_000;

export interface ParseYamlOptions {
  /** Path as diagnostics print it. */
  file: string;
  /** Report repeated keys (off only for package.json, which JSON.parse reads last-wins). */
  uniqueKeys?: boolean;
  /** Word used in parse errors: `YAML` or `JSON`. */
  syntax?: 'YAML' | 'JSON';
}

/** One non-empty document that parsed without errors. */
export interface YamlDocumentSource {
  /** Index of the document in its file (`---` separated). */
  index: number;
  /** The plain value: objects, arrays, strings, numbers, booleans, null. */
  value: unknown;
  /** Where a pointer (from the document root) is written. */
  locate: LocateFunction;
  /** A locator for the part of the document under `basePointer` (a JSON array item). */
  locatorWithin(basePointer: string): LocateFunction;
}

export interface ParsedYaml {
  documents: YamlDocumentSource[];
  diagnostics: Diagnostic[];
  /** False when the text holds no document at all (only whitespace and comments). */
  hasContent: boolean;
}

export function parseYamlText(text: string, options: ParseYamlOptions): ParsedYaml {
  return readWithLibraries(text, options) ?? readWithYaml(text, options);
}

/**
 * The documents as `JSON.parse` or js-yaml read them, with locators that parse the text with
 * `yaml` on first use; undefined when `yaml` must read the text (to report a problem with its
 * position, or where the two readings could differ: YAML outside the plain block subset, empty
 * or null documents).
 */
export function readWithLibraries(text: string, options: ParseYamlOptions): ParsedYaml | undefined {
  const isJson = options.syntax === 'JSON';
  const values = libraryValues(text, isJson);
  if (!values || values.length === 0 || values.includes(null)) return undefined;
  if (isJson || FORBIDDEN_WORD.test(text)) {
    const colons = expectedColons(values);
    if (colons === undefined) return undefined;
    if (isJson && options.uniqueKeys !== false && !keepsEveryKey(text, colons)) return undefined;
  }
  const reparse = once(() => parseStream(text, options));
  const documents = values.map((value, index): YamlDocumentSource => {
    const locatorWithin =
      (basePointer: string): LocateFunction =>
      (pointer, target) =>
        locateInStream(reparse(), index, basePointer + pointer, target ?? 'value');
    return { index, value, locate: locatorWithin(''), locatorWithin };
  });
  return { documents, diagnostics: [], hasContent: true };
}

function libraryValues(text: string, isJson: boolean): unknown[] | undefined {
  try {
    if (isJson) return [JSON.parse(text)];
    return isPlainBlockYaml(text) ? loadAll(text, null, { schema: YAML_CORE_SCHEMA }) : undefined;
  } catch {
    return undefined;
  }
}

// js-yaml and `yaml` disagree on many corners of YAML (flow collections over several lines,
// `"a"#c`, explicit keys, empty `-` items, multi-line quoted scalars…), and listing those is
// endless. So js-yaml reads a text only when every line is in the plain block subset specs
// are written in; `yaml` reads every other text. This is a routing guard, not a parser: the
// values always come from a library, and the property test compares the two readings.
const KEY = String.raw`[\w$][\w$./-]*`;
/** One line, no `: ` or ` #` inside, no trailing `:`, not starting with an indicator (`-1` may). */
const PLAIN_SCALAR = String.raw`-?[^ \-?:,[\]{}#&*!|>'"%@\`](?: *(?:[^ :#]|:(?! |$)|(?<! )#))*`;
const DOUBLE_QUOTED = String.raw`"(?:[^"\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"`;
const SINGLE_QUOTED = "'(?:[^']|'')*'";
/** A word in a flow list: no space, flow indicator, `:`, `#` or quote, not starting with an indicator. */
const FLOW_WORD = String.raw`-?[^ \-?:,[\]{}#&*!|>'"%@\`][^ ,[\]{}#:'"]*`;
const FLOW_ITEM = `(?:${FLOW_WORD}(?: ${FLOW_WORD})*|${DOUBLE_QUOTED}|${SINGLE_QUOTED})`;
/** A one-line list of such words and quoted scalars, as configs write `specs: ["endpoints/*.yaml"]`. */
const FLOW_LIST = String.raw`\[(?: *${FLOW_ITEM}(?: *, *${FLOW_ITEM})*)? *\]`;
const VALUE = `(?:${PLAIN_SCALAR}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}|${FLOW_LIST})`;
/**
 * A document marker, a blank or comment line, or an indented `key:` or `key: value` (either
 * may follow one `- `), or `- value`; then optional spaces and ` # comment`.
 */
const PLAIN_BLOCK_LINE = new RegExp(`^(?:---| *(?:#.*)?| *(?:(?:- )?${KEY}:(?: +${VALUE})?|- ${VALUE})(?: +(?:#.*)?)?)$`);
/** Anything but printable characters and line feeds (CRLF line ends are fine): tabs, controls, a BOM. */
const UNUSUAL_CHARACTER = /[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]|\r(?!\n)/u;

function isPlainBlockYaml(text: string): boolean {
  if (UNUSUAL_CHARACTER.test(text)) return false;
  for (const line of text.split('\n')) {
    if (!PLAIN_BLOCK_LINE.test(line.endsWith('\r') ? line.slice(0, -1) : line)) return false;
  }
  return true;
}

/**
 * Keys in the plain block subset are written as they are (no quotes, no escapes), and nest no
 * deeper than its lines indent: a text without these words holds no forbidden key.
 */
const FORBIDDEN_WORD = new RegExp([...FORBIDDEN_KEYS].join('|'));

/**
 * YAML 1.2's core schema exactly as `yaml` resolves plain scalars (js-yaml's own core schema
 * also reads `0b11`, `1_000` and `-0x1F` as numbers, `-.5` as a string, and `-0` as 0).
 */
const YAML_CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    coreScalar('null', '~nN', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    coreScalar('bool', 'tTfF', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    coreScalar('int', '+-0123456789', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) => {
      const radix = text[1] === 'o' ? 8 : text[1] === 'x' ? 16 : 10;
      return parseInt(radix === 10 ? text : text.slice(2), radix);
    }),
    coreScalar(
      'float',
      '+-.0123456789',
      /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
      (text) => {
        if (/nan$/i.test(text)) return Number.NaN;
        if (/inf$/i.test(text)) return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
        return parseFloat(text);
      },
    ),
  ],
});

/**
 * One plain-scalar type of the core schema. Every key and every plain value is offered to each
 * type in turn, so the first character decides before the pattern runs (an empty text passes:
 * `''.includes('')`, and it is null).
 */
function coreScalar(name: string, firstCharacters: string, pattern: RegExp, construct: (text: string) => unknown): Type {
  const resolve = (text: string) => firstCharacters.includes(text.charAt(0)) && pattern.test(text);
  return new Type(`tag:yaml.org,2002:${name}`, { kind: 'scalar', resolve, construct });
}

/**
 * What a valid JSON text must write if the parsed values hold all of its keys: every key is
 * followed by a `:`, and any other `:` is inside a string. Undefined when `yaml` must report
 * on the documents: a forbidden key such as `__proto__`, or nesting deep enough to exhaust the
 * stack. The values are used as they are: neither `JSON.parse` nor js-yaml on the plain block
 * subset (no anchors, so no aliases) shares one object between two places.
 */
function expectedColons(values: unknown[]): number | undefined {
  const tally = { colons: 0, forbidden: false };
  try {
    for (const value of values) countColons(value, tally);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  return tally.forbidden ? undefined : tally.colons;
}

/** Adds the keys in `value` and the `:`s inside its strings (keys included); notes a forbidden key. */
function countColons(value: unknown, tally: { colons: number; forbidden: boolean }): void {
  if (typeof value === 'string') {
    for (let at = value.indexOf(':'); at !== -1; at = value.indexOf(':', at + 1)) tally.colons++;
  } else if (Array.isArray(value)) {
    for (const item of value) countColons(item, tally);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) {
      if (FORBIDDEN_KEYS.has(key)) tally.forbidden = true;
      tally.colons++;
      countColons(key, tally);
      countColons((value as Record<string, unknown>)[key], tally);
    }
  }
}

/**
 * Whether `JSON.parse` kept every key of the text: it keeps the last of repeated keys
 * silently, and the text then holds more `:`s than the values account for. A `\u003a` escape
 * writes a `:` too (one whose backslash is not itself escaped).
 */
function keepsEveryKey(text: string, expected: number): boolean {
  let colons = text.includes('\\u') ? (text.match(ESCAPED_COLON)?.length ?? 0) : 0;
  for (let at = text.indexOf(':'); at !== -1; at = text.indexOf(':', at + 1)) colons++;
  return colons === expected;
}

const ESCAPED_COLON = /(?<!\\)(?:\\\\)*\\u003a/gi;

/** Parses with `yaml`: every diagnostic, with its position. */
export function readWithYaml(text: string, options: ParseYamlOptions): ParsedYaml {
  const parsed = parseStream(text, options);
  const result: ParsedYaml = { documents: [], diagnostics: [], hasContent: false };
  for (const error of parsed.streamErrors) result.diagnostics.push(toParseDiagnostic(error, text, parsed.position, options));
  // The node trees are not kept once the values are built (a project's worth of them would
  // stay in memory for nothing): `locate` parses the text again on first use, which only
  // files with problems pay for.
  const context: ReadContext = { text, options, position: parsed.position, reparse: once(() => parseStream(text, options)), result };
  parsed.docs.forEach((doc, index) => {
    readDocument(doc, index, context);
  });
  return result;
}

interface ParsedStream {
  docs: Document.Parsed[];
  streamErrors: YAMLError[];
  position: (offset: number) => SourcePosition;
}

interface ReadContext {
  text: string;
  options: ParseYamlOptions;
  position: (offset: number) => SourcePosition;
  reparse: () => ParsedStream;
  result: ParsedYaml;
}

function parseStream(source: string, options: ParseYamlOptions): ParsedStream {
  // JSON allows a lone carriage return between tokens, YAML does not; one cannot be in a JSON
  // string, so it reads as the line break editors show (same length: offsets hold).
  const text = options.syntax === 'JSON' ? source.replace(/\r(?!\n)/g, '\n') : source;
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: options.uniqueKeys ?? true });
  const lineCount = lineCounter.lineStarts.length;
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(Math.min(Math.max(offset, 0), text.length));
    return { line: Math.min(Math.max(line, 1), lineCount), column: Math.max(col, 1) };
  };
  return { docs: Array.from(docs), streamErrors: (docs as { errors?: YAMLError[] }).errors ?? [], position };
}

function once<T>(compute: () => T): () => T {
  let value: { result: T } | undefined;
  return () => (value ??= { result: compute() }).result;
}

function readDocument(doc: Document.Parsed, index: number, context: ReadContext): void {
  const { text, options, position, result } = context;
  const root = doc.contents;
  if (isEmptyNode(root) && doc.errors.length === 0) return;
  result.hasContent = true;
  for (const warning of doc.warnings) {
    result.diagnostics.push(makeDiagnostic('yaml-warning', warning.message, options.file, position(warning.pos[0]), '', 'warning'));
  }
  if (doc.errors.length > 0) {
    // After a syntax error the parser's view of the document is unreliable: the errors it
    // then reports (an indentation mistake gives half a dozen) are echoes of the first.
    const syntaxError = doc.errors.find((error) => error.code !== 'DUPLICATE_KEY');
    const shown = syntaxError ? [syntaxError] : doc.errors;
    for (const error of shown) result.diagnostics.push(toParseDiagnostic(error, text, position, options));
    return;
  }
  if (!root) return;
  const built = buildPlainValue(doc, root, options.file, (node) => position(node.range?.[0] ?? 0));
  result.diagnostics.push(...built.diagnostics);
  if (!built.ok) return;
  const locatorWithin =
    (basePointer: string): LocateFunction =>
    (pointer, target) =>
      locateInStream(context.reparse(), index, basePointer + pointer, target ?? 'value');
  result.documents.push({ index, value: built.value, locate: locatorWithin(''), locatorWithin });
}

function locateInStream(stream: ParsedStream, index: number, pointer: string, target: 'key' | 'value'): SourcePosition {
  const doc = stream.docs[index];
  if (!doc?.contents) return { line: 1, column: 1 };
  return locateIn(doc, doc.contents, pointer, target, (node) => stream.position(node.range?.[0] ?? 0));
}

const isEmptyNode = (node: Node | null): boolean => node === null || (isScalar(node) && node.value === null && node.source === '');

function toParseDiagnostic(error: YAMLError, text: string, position: (offset: number) => SourcePosition, options: ParseYamlOptions): Diagnostic {
  const at = position(error.pos[0]);
  if (error.code === 'DUPLICATE_KEY') {
    const key = keyTextAt(text, error.pos[0]);
    const message = key ? `duplicate key \`${key}\`: it already appears earlier in the same mapping` : 'duplicate key in the same mapping';
    return makeDiagnostic('duplicate-key', message, options.file, at);
  }
  const message = error.code === 'RESOURCE_EXHAUSTION' ? 'the document is nested too deeply' : error.message;
  return makeDiagnostic('parse-error', `invalid ${options.syntax ?? 'YAML'}: ${message}`, options.file, at);
}

/** The key written at `offset` (quoted or plain), for duplicate-key messages. */
function keyTextAt(text: string, offset: number): string | undefined {
  const match = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^:,{}[\]\n#]*[^:,{}[\]\n#\s]))/.exec(text.slice(offset, offset + 300));
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Plain values

class AliasExpansionError extends Error {
  constructor(
    readonly reason: string,
    /** The outermost alias being expanded: where the problem is reported. */
    readonly alias: Node,
  ) {
    super(reason);
  }
}

interface BuildState {
  doc: Document.Parsed;
  file: string;
  positionOf: (node: Node) => SourcePosition;
  /** Anchors seen so far in document order: an alias refers to the last one before it. */
  anchors: Map<string, Node>;
  /** Nodes that alias expansion may still add. */
  budget: number;
  /** Anchored nodes being expanded right now: meeting one again means a recursive alias. */
  expanding: Set<Node>;
  /** The outermost alias being expanded (diagnostics point at it); undefined outside aliases. */
  outerAlias?: Node;
  diagnostics: Diagnostic[];
}

function buildPlainValue(
  doc: Document.Parsed,
  root: Node,
  file: string,
  positionOf: (node: Node) => SourcePosition,
): { ok: boolean; value?: unknown; diagnostics: Diagnostic[] } {
  const state: BuildState = { doc, file, positionOf, anchors: new Map(), budget: MAX_ALIAS_EXPANSION, expanding: new Set(), diagnostics: [] };
  try {
    const value = buildNode(root, '', state);
    return { ok: !state.diagnostics.some((d) => d.severity === 'error'), value, diagnostics: state.diagnostics };
  } catch (error) {
    if (error instanceof AliasExpansionError) {
      const at = positionOf(error.alias);
      return { ok: false, diagnostics: [...state.diagnostics, makeDiagnostic('alias-bomb', error.reason, file, at)] };
    }
    if (error instanceof RangeError) {
      return {
        ok: false,
        diagnostics: [...state.diagnostics, makeDiagnostic('parse-error', 'the document is nested too deeply', file, positionOf(root))],
      };
    }
    throw error;
  }
}

function buildNode(node: Node | null, pointer: string, state: BuildState): unknown {
  if (node === null) return null;
  if (state.outerAlias) {
    if (--state.budget < 0) {
      throw new AliasExpansionError(
        `aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an "alias bomb"); write the values out`,
        state.outerAlias,
      );
    }
  } else if (node.anchor) {
    state.anchors.set(node.anchor, node);
  }
  if (isAlias(node)) return buildAlias(node, pointer, state);
  if (isMap(node)) return buildMap(node, pointer, state);
  if (isSeq(node)) return node.items.map((item, i) => buildNode(item as Node | null, appendPointer(pointer, i), state));
  if (isScalar(node)) return buildScalar(node, pointer, state);
  return null;
}

function buildAlias(alias: Alias, pointer: string, state: BuildState): unknown {
  const target = state.anchors.get(alias.source);
  if (!target) {
    report(state, 'parse-error', `invalid YAML: alias \`*${alias.source}\` refers to no anchor before it`, alias, pointer);
    return null;
  }
  if (state.expanding.has(target)) {
    throw new AliasExpansionError(`alias \`*${alias.source}\` refers to a value that contains it (a recursive alias)`, state.outerAlias ?? alias);
  }
  const isOuter = state.outerAlias === undefined;
  if (isOuter) state.outerAlias = alias;
  state.expanding.add(target);
  try {
    return buildNode(target, pointer, state);
  } finally {
    state.expanding.delete(target);
    if (isOuter) state.outerAlias = undefined;
  }
}

function buildMap(map: YAMLMap, pointer: string, state: BuildState): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of map.items) {
    const keyNode = pair.key as Node | null;
    const key = keyString(keyNode, state);
    const at = keyNode ?? map;
    if (key === undefined) {
      report(state, 'non-string-key', 'a key must be a plain string, not a list or a mapping', at, pointer);
      continue;
    }
    const childPointer = appendPointer(pointer, key);
    if (FORBIDDEN_KEYS.has(key)) {
      report(state, 'forbidden-key', `the key \`${key}\` is not allowed (it could alter object prototypes)`, at, childPointer);
      continue;
    }
    result[key] = buildNode(pair.value as Node | null, childPointer, state);
  }
  return result;
}

function keyString(keyNode: Node | null, state: BuildState): string | undefined {
  const node = keyNode && isAlias(keyNode) ? state.anchors.get(keyNode.source) : keyNode;
  // A null key reads as `null`, as in JavaScript (and js-yaml).
  if (node === null) return 'null';
  if (!node || !isScalar(node)) return undefined;
  return String(node.value);
}

function buildScalar(scalar: Scalar, pointer: string, state: BuildState): unknown {
  const value = scalar.value;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  const tag = scalar.tag ? `\`${scalar.tag.replace('tag:yaml.org,2002:', '!!')}\` ` : '';
  report(state, 'unsupported-value', `the YAML tag ${tag}makes a value that JSON cannot hold; write a plain string or number`, scalar, pointer);
  return null;
}

/** Records a problem unless it sits inside an alias expansion (then it was reported at the anchor). */
function report(state: BuildState, rule: string, message: string, node: Node, pointer: string): void {
  if (state.outerAlias) return;
  state.diagnostics.push(makeDiagnostic(rule, message, state.file, state.positionOf(node), pointer));
}

// ---------------------------------------------------------------------------------------------
// Locating pointers

interface Step {
  /** The key node of the last step through a mapping (null after a sequence index). */
  key: Node | null;
  value: Node | null;
}

function locateIn(
  doc: Document.Parsed,
  root: Node,
  pointer: string,
  target: 'key' | 'value',
  positionOf: (node: Node) => SourcePosition,
): SourcePosition {
  let step: Step = { key: null, value: root };
  for (const segment of splitPointer(pointer)) {
    const next = childStep(doc, step.value, segment);
    if (!next) break;
    step = next;
  }
  const keyNode = step.key;
  const valueNode = step.value && !isEmptyNode(step.value) ? step.value : null;
  const node = target === 'key' ? (keyNode ?? valueNode) : (valueNode ?? keyNode);
  return positionOf(node ?? root);
}

function childStep(doc: Document.Parsed, parent: Node | null, segment: string): Step | undefined {
  const container = parent && isAlias(parent) ? (parent.resolve(doc) ?? null) : parent;
  if (isMap(container)) {
    for (let i = container.items.length - 1; i >= 0; i--) {
      const pair = container.items[i];
      const keyNode = pair?.key as Node | null;
      const keyValue = keyNode && isScalar(keyNode) ? keyNode.value : keyNode;
      if (pair && String(keyValue) === segment) return { key: keyNode, value: pair.value as Node | null };
    }
    return undefined;
  }
  if (isSeq(container) && /^(0|[1-9][0-9]*)$/.test(segment)) {
    const item = container.items[Number(segment)] as Node | null | undefined;
    return item === undefined ? undefined : { key: null, value: item };
  }
  return undefined;
}
