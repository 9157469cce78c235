import path from 'node:path';
import { makeDiagnostic, type Diagnostic, type LocateFunction, type SourcePosition } from '../common/diagnostic.js';
import { decodeSpecBytes } from './decode-text.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { parseYamlText, readWithLibraries, readWithYaml } from './parse-yaml.js';
import type { ParseSpecResult, SpecDocument } from './types.js';

/** Spec files larger than this are refused before they are read. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/**
 * Parses one spec file's content into its documents. Pure: never throws for bad input, every
 * problem is a located diagnostic. A `.json` file holds one object or an array of objects (one
 * document per item); a YAML file may hold several `---` documents.
 */
export function parseSpecText(text: string | Uint8Array, file: string, absolutePath: string): ParseSpecResult {
  const byteLength = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength;
  if (byteLength > MAX_SPEC_FILE_BYTES) return failed(tooLarge(file, byteLength));
  let source: string;
  if (typeof text === 'string') {
    source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  } else {
    const decoded = decodeSpecBytes(text, file);
    if (decoded.text === undefined) return { documents: [], diagnostics: decoded.diagnostics };
    source = decoded.text;
  }
  const isJson = path.extname(absolutePath).toLowerCase() === '.json';
  return markWithoutTemplates(isJson ? parseJsonSpec(source, file, absolutePath) : parseYamlSpec(source, file, absolutePath), source);
}

export const tooLarge = (file: string, bytes: number): Diagnostic =>
  makeDiagnostic('file-too-large', `the file is ${formatMiB(bytes)}; spec files are limited to 1 MiB`, file);

const formatMiB = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

const failed = (diagnostic: Diagnostic): ParseSpecResult => ({ documents: [], diagnostics: [diagnostic] });

function parseYamlSpec(source: string, file: string, absolutePath: string): ParseSpecResult {
  const parsed = parseYamlText(source, { file });
  if (!parsed.hasContent) return failed(emptyFile(source, file));
  const documents: SpecDocument[] = [];
  const diagnostics = parsed.diagnostics;
  for (const doc of parsed.documents) {
    const problem = notAnObject(doc.value, file, doc.locate, '`---` separates documents in a YAML file');
    if (problem) diagnostics.push(problem);
    else documents.push(makeSpecDocument(file, absolutePath, doc.index, doc.value, doc.locate));
  }
  return { documents, diagnostics };
}

function parseJsonSpec(source: string, file: string, absolutePath: string): ParseSpecResult {
  const firstChar = /\S/.exec(source)?.[0];
  if (firstChar === undefined) return failed(emptyFile(source, file));
  const options = { file, syntax: 'JSON' } as const;
  const read = readWithLibraries(source, options);
  const syntaxError = read ? undefined : strictJsonError(source, file);
  if (syntaxError) return failed(syntaxError);
  if (firstChar !== '{' && firstChar !== '[') {
    return failed(makeDiagnostic('not-an-object', 'a .json spec file holds an object or an array of objects', file));
  }
  const parsed = read ?? readWithYaml(source, options);
  const diagnostics = parsed.diagnostics;
  const [doc] = parsed.documents;
  if (!doc) return { documents: [], diagnostics };
  if (!Array.isArray(doc.value)) {
    const problem = notAnObject(doc.value, file, doc.locate, 'a .json file holds an object or an array of objects');
    if (problem) return { documents: [], diagnostics: [...diagnostics, problem] };
    return { documents: [makeSpecDocument(file, absolutePath, 0, doc.value, doc.locate)], diagnostics };
  }
  if (doc.value.length === 0) {
    diagnostics.push(makeDiagnostic('empty-file', 'the JSON array is empty: the file holds no endpoint spec', file, doc.locate('')));
  }
  const documents: SpecDocument[] = [];
  doc.value.forEach((value: unknown, index) => {
    const locate = doc.locatorWithin(`/${index}`);
    const problem = notAnObject(value, file, locate, 'each item of a .json array is one endpoint object');
    if (problem) diagnostics.push(problem);
    else documents.push(makeSpecDocument(file, absolutePath, index, value, locate));
  });
  return { documents, diagnostics };
}

/** JSON's own rules, which the YAML parser is more lenient about (trailing commas, comments). */
function strictJsonError(source: string, file: string): Diagnostic | undefined {
  try {
    JSON.parse(source);
    return undefined;
  } catch (error) {
    const found = findJsonSyntaxError(source);
    const message = found?.message ?? (error instanceof Error ? error.message : String(error));
    return makeDiagnostic('parse-error', `invalid JSON: ${message}`, file, offsetPosition(source, found?.offset ?? 0));
  }
}

function offsetPosition(text: string, offset: number): SourcePosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function makeSpecDocument(file: string, absolutePath: string, index: number, value: unknown, locate: LocateFunction): SpecDocument {
  return { file, absolutePath, index, value, locate };
}

/** A `${`, or an escape (`\x24`, `\u0024`…) that could write one. */
const MAY_WRITE_TEMPLATE = /\$\{|\\/;

/** Marks the documents of a text that cannot hold a template, so the walks over template strings skip them. */
function markWithoutTemplates(result: ParseSpecResult, source: string): ParseSpecResult {
  if (!MAY_WRITE_TEMPLATE.test(source)) for (const document of result.documents) document.withoutTemplates = true;
  return result;
}

function emptyFile(source: string, file: string): Diagnostic {
  const what = source.trim() === '' ? 'the file is empty' : 'the file holds only comments';
  return makeDiagnostic('empty-file', `${what}: expected an endpoint spec`, file);
}

function notAnObject(value: unknown, file: string, locate: LocateFunction, hint: string): Diagnostic | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  return makeDiagnostic(
    'not-an-object',
    `an endpoint spec must be a mapping of keys to values, not ${describeValue(value)} (${hint})`,
    file,
    locate(''),
  );
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a mapping';
}
