// What the bundled program gets for `import('got')` (see scripts/bundle-cli.js): dist/cli/got.cjs,
// compiled with the V8 code cache the build wrote beside it (got.cjs.cache), as the entry
// loads the program (scripts/load-program.js). got loads on the first request of a run, so
// its compile time was time before the first request.
import { fileURLToPath } from 'node:url';
import { loadWithCodeCache } from './load-program.js';

export const { got } = loadWithCodeCache(fileURLToPath(new URL('got.cjs', import.meta.url))).exports;
