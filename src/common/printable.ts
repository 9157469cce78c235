/** Characters that could move the cursor, colour the terminal or start a new line. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const EVERY_UNPRINTABLE = new RegExp(UNPRINTABLE.source, 'g');

/**
 * Text from specs or the API with control characters escaped (`\u0009`), so a value cannot
 * move the cursor, colour the terminal or start a new line in a report. Most text has none:
 * one test is cheaper than a replace that finds nothing (a plan prints every field this way).
 */
export const printable = (text: string): string =>
  UNPRINTABLE.test(text) ? text.replace(EVERY_UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
