/**
 * Strict JSON syntax check for `.json` files. The YAML parser that gives us positions also
 * accepts things JSON does not (trailing commas, comments, `"key": ,`), and V8's JSON.parse
 * messages do not always carry a position; this scanner finds the first error and where it is.
 * It runs only when JSON.parse has already refused the text. Iterative, so deep nesting is safe.
 */

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  /** Open containers, as the bracket that closes each. */
  const closers: string[] = [];
  const skipWhitespace = () => {
    while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  };
  const error = (message: string): JsonSyntaxError => ({
    offset: i,
    message: i >= text.length ? `${message}, found the end of the file` : `${message}, found \`${text[i]}\``,
  });

  /** A string starting at `i` (which holds `"`). */
  const readString = (): JsonSyntaxError | undefined => {
    i++;
    while (i < text.length) {
      const char = text[i] as string;
      if (char === '"') {
        i++;
        return undefined;
      }
      if (char === '\\') {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.exec(text)) return { offset: i, message: 'invalid escape sequence in a string' };
        i = ESCAPE.lastIndex;
      } else if (char < ' ') {
        return { offset: i, message: 'a string cannot contain a raw control character (write a line break as `\\n`)' };
      } else {
        i++;
      }
    }
    return { offset: i, message: 'unterminated string' };
  };

  /** `"key":` inside an object. */
  const readKey = (): JsonSyntaxError | undefined => {
    skipWhitespace();
    if (text[i] !== '"') return error('expected a double-quoted key');
    const problem = readString();
    if (problem) return problem;
    skipWhitespace();
    if (text[i] !== ':') return error('expected `:` after the key');
    i++;
    return undefined;
  };

  /** One scalar value, or the opening of a container (then the loop reads its first value). */
  const readValue = (): { problem?: JsonSyntaxError; opened?: boolean } => {
    skipWhitespace();
    const char = text[i];
    if (char === '{' || char === '[') {
      const closer = char === '{' ? '}' : ']';
      i++;
      skipWhitespace();
      if (text[i] === closer) {
        i++;
        return {};
      }
      closers.push(closer);
      return closer === '}' ? { problem: readKey(), opened: true } : { opened: true };
    }
    if (char === '"') return { problem: readString() };
    for (const pattern of [NUMBER, LITERAL]) {
      pattern.lastIndex = i;
      if (pattern.exec(text)) {
        i = pattern.lastIndex;
        return {};
      }
    }
    return { problem: error('expected a value') };
  };

  let expectValue = true;
  for (;;) {
    if (expectValue) {
      const { problem, opened } = readValue();
      if (problem) return problem;
      expectValue = opened === true;
      continue;
    }
    skipWhitespace();
    const closer = closers.at(-1);
    if (closer === undefined) return i < text.length ? error('unexpected content after the JSON value') : undefined;
    if (text[i] === closer) {
      closers.pop();
      i++;
    } else if (text[i] === ',') {
      i++;
      if (closer === '}') {
        const problem = readKey();
        if (problem) return problem;
      }
      expectValue = true;
    } else {
      return error(`expected \`,\` or \`${closer}\``);
    }
  }
}
