/**
 * Text from specs or the API with control characters escaped (`\u0009`), so a value cannot
 * move the cursor, colour the terminal or start a new line in a report.
 */
export const printable = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
