import { makeDiagnostic, type Diagnostic, type SourcePosition } from '../common/diagnostic.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const NEWLINE = 0x0a;

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

/** Line and column of a byte offset; everything before it is valid UTF-8, so the column counts characters. */
function bytePosition(bytes: Uint8Array, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: prefix.length + 1 };
}

/** Offset of the first byte that does not start (or continue) a well-formed UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = wellFormedSequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

// Ranges from the Unicode standard, table 3-7 (well-formed UTF-8 byte sequences).
function wellFormedSequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  if (b0 <= 0x7f) return 1;
  const inRange = (offset: number, low: number, high: number) => {
    const b = bytes[i + offset];
    return b !== undefined && b >= low && b <= high;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return inRange(1, 0x80, 0xbf) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [low, high] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return inRange(1, low, high) && inRange(2, 0x80, 0xbf) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [low, high] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return inRange(1, low, high) && inRange(2, 0x80, 0xbf) && inRange(3, 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}
