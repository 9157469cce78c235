import { makeDiagnostic, type Diagnostic, type SourcePosition } from '../common/diagnostic.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');
/** Keeps a byte-order mark as a character, so the text's bytes are the file's. */
const lenientUtf8KeepingBom = new TextDecoder('utf-8', { ignoreBOM: true });
const REPLACEMENT = '\uFFFD';

/**
 * Turns a file's bytes into text, or explains why they are not a text spec: a NUL byte means
 * a binary file, a UTF-16 byte-order mark or an invalid UTF-8 sequence means the wrong encoding.
 * A UTF-8 byte-order mark is dropped.
 */
export function decodeSpecBytes(bytes: Uint8Array, file: string): { text?: string; diagnostics: Diagnostic[] } {
  if (startsWithUtf16Bom(bytes)) {
    return fail(makeDiagnostic('not-utf8', 'the file is UTF-16 encoded; save it as UTF-8', file));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail(makeDiagnostic('binary-file', 'the file is binary (it contains a NUL byte), not YAML or JSON', file, bytePosition(bytes, nul)));
  }
  try {
    return { text: strictUtf8.decode(bytes), diagnostics: [] };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    return fail(makeDiagnostic('not-utf8', 'the file is not valid UTF-8; save it as UTF-8', file, bytePosition(bytes, offset)));
  }
}

const fail = (diagnostic: Diagnostic) => ({ diagnostics: [diagnostic] });

const startsWithUtf16Bom = (bytes: Uint8Array): boolean =>
  bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));

/** Line and column (in characters) of a byte offset, from a lenient decode of the bytes before it. */
function bytePosition(bytes: Uint8Array, offset: number): SourcePosition {
  const before = lenientUtf8.decode(bytes.subarray(0, offset));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/**
 * Offset of the first byte that is not well-formed UTF-8. A lenient decode writes U+FFFD for
 * each bad sequence; one written in the file as EF BF BD is a real character, and everything
 * before the first bad sequence re-encodes to the same bytes.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const text = lenientUtf8KeepingBom.decode(bytes);
  let offset = 0;
  let counted = 0;
  for (let at = text.indexOf(REPLACEMENT); at !== -1; at = text.indexOf(REPLACEMENT, at + 1)) {
    offset += Buffer.byteLength(text.slice(counted, at));
    counted = at;
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) return offset;
  }
  return bytes.length;
}
