// What the bundled CLI gets for `import … from 'jsonc-parser'` (see scripts/bundle-cli.js): the
// same functions, which load the package, bundled alone into dist/cli/jsonc-parser.cjs, on the
// first call (only a .json file with a syntax error needs it).
import { createRequire } from 'node:module';

const requireChunk = createRequire(import.meta.url);
let jsonc;
const load = () => (jsonc ??= requireChunk('./jsonc-parser.cjs'));

export const parse = (...args) => load().parse(...args);
export const printParseErrorCode = (code) => load().printParseErrorCode(code);
