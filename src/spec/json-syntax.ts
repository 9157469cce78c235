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
  InvalidSymbol: (found) => `unexpected ${found}`,
  EndOfFileExpected: (found) => `unexpected content after the JSON value: ${found}`,
  InvalidCommentToken: () => 'JSON has no comments',
  UnexpectedEndOfString: () => 'unterminated string (a string ends on its line; write a line break as `\\n`)',
  InvalidCharacter: () => 'a string cannot contain a raw control character (write a tab as `\\t`)',
  InvalidEscapeCharacter: () => 'invalid escape sequence in a string',
  InvalidUnicode: () => 'invalid `\\u` escape in a string',
  UnexpectedEndOfNumber: () => 'invalid number',
  InvalidNumberFormat: () => 'invalid number',
};

/** The first error in `text`, undefined if jsonc-parser finds none. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, STRICT);
  const [first] = errors;
  if (!first) return undefined;
  const found = first.offset >= text.length ? 'the end of the file' : `\`${text[first.offset]}\``;
  const describe = MESSAGES[printParseErrorCode(first.error)];
  return describe && { offset: first.offset, message: describe(found) };
}
