/**
 * Where a `.json` file breaks JSON's rules, and how. `JSON.parse` has refused the text by then,
 * but V8's messages do not always give a position, and the YAML parser that locates values
 * accepts what JSON does not (trailing commas, comments, `"key": ,`). jsonc-parser, run
 * strict, reports each error with its offset.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** What each error means, for the one found at a character (`found`: that character, or the end of the file). */
const MESSAGES: Record<string, (found: string) => string> = {
  ValueExpected: (found) => `expected a value, found ${found}`,
  PropertyNameExpected: (found) => `expected a double-quoted key, found ${found}`,
  ColonExpected: (found) => `expected \`:\` after the key, found ${found}`,
  CommaExpected: (found) => `expected \`,\` between values, found ${found}`,
  CloseBraceExpected: (found) => `expected \`,\` or \`}\`, found ${found}`,
  CloseBracketExpected: (found) => `expected \`,\` or \`]\`, found ${found}`,
  InvalidSymbol: (found) => `unexpected ${found} (keys and strings are double-quoted; true, false and null are lower case)`,
  EndOfFileExpected: (found) => `unexpected content after the JSON value: ${found}`,
  InvalidCommentToken: () => 'JSON has no comments',
  UnexpectedEndOfString: () => 'unterminated string (a string ends on its line; write a line break as `\\n`)',
  InvalidCharacter: () => 'a string cannot contain a raw control character (write a tab as `\\t`, a line break as `\\n`)',
  InvalidEscapeCharacter: () => 'invalid escape sequence in a string',
  InvalidUnicode: () => 'invalid `\\u` escape in a string (it takes four hexadecimal digits)',
  UnexpectedEndOfNumber: () => 'invalid number',
  InvalidNumberFormat: () => 'invalid number',
};

/**
 * jsonc-parser reports an error inside a string at its opening quote; these find the character
 * at fault within the string.
 */
const IN_STRING: Record<string, RegExp> = {
  InvalidCharacter: /[\u0000-\u001f]/g,
  InvalidEscapeCharacter: /\\(?:["\\/bfnrtu]|(.))/g,
  InvalidUnicode: /\\(?:[^u]|(u)(?![0-9a-fA-F]{4}))/g,
};

/** The first error in `text`, undefined if jsonc-parser finds none. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, STRICT);
  } catch (error) {
    // jsonc-parser descends recursively: a deep enough nesting exhausts the stack.
    if (error instanceof RangeError) return { offset: 0, message: 'the document is nested too deeply' };
    throw error;
  }
  const [first] = errors;
  if (!first) return undefined;
  const code = printParseErrorCode(first.error);
  const offset = faultInString(text, first, IN_STRING[code]) ?? first.offset;
  const found = offset >= text.length ? 'the end of the file' : `\`${text[offset]}\``;
  const describe = MESSAGES[code];
  return describe && { offset, message: describe(found) };
}

/** Where, inside the string the error spans, `pattern` first matches with its capture group (or at all, without one). */
function faultInString(text: string, error: ParseError, pattern: RegExp | undefined): number | undefined {
  if (!pattern) return undefined;
  pattern.lastIndex = error.offset;
  for (let match = pattern.exec(text); match && match.index < error.offset + error.length; match = pattern.exec(text)) {
    if (match.length === 1 || match[1] !== undefined) return match.index;
  }
  return undefined;
}
