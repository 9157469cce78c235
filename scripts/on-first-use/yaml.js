// What the bundled CLI gets for `import … from 'yaml'` (see scripts/bundle-cli.js): the same
// functions, which load the package, bundled alone into dist/cli/yaml.cjs, on the first
// call. Only what src/ imports is here; a name missing here fails the bundle, so add it with
// the import (a class must be constructible through `new`, as LineCounter is).
import { createRequire } from 'node:module';

const requireChunk = createRequire(import.meta.url);
let yaml;
const load = () => (yaml ??= requireChunk('./yaml.cjs'));

export function LineCounter() {
  return new (load().LineCounter)();
}
export const parseAllDocuments = (...args) => load().parseAllDocuments(...args);
export const stringify = (...args) => load().stringify(...args);
export const isAlias = (node) => load().isAlias(node);
export const isMap = (node) => load().isMap(node);
export const isScalar = (node) => load().isScalar(node);
export const isSeq = (node) => load().isSeq(node);
