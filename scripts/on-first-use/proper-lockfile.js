// What the bundled CLI gets for `import … from 'proper-lockfile'` (see scripts/bundle-cli.js):
// the same functions, which load the package (with graceful-fs, which patches `fs` as it
// loads), bundled alone into dist/cli/proper-lockfile.cjs, on the first call.
import { createRequire } from 'node:module';

const requireChunk = createRequire(import.meta.url);
let properLockfile;
const load = () => (properLockfile ??= requireChunk('./proper-lockfile.cjs'));

export default {
  lock: (...args) => load().lock(...args),
  unlock: (...args) => load().unlock(...args),
  check: (...args) => load().check(...args),
};
