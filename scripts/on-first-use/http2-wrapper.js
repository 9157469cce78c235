// What got.cjs gets for `import http2wrapper from 'http2-wrapper'` (see scripts/bundle-cli.js):
// got reads the package only for a request made with its `http2` option, which ppio-deploy never
// sets, yet loading it (with node:http2) was a third of loading got (~15 ms before the first
// request). It is bundled alone into dist/cli/http2-wrapper.cjs and loaded when got asks.
import { createRequire } from 'node:module';

const requireChunk = createRequire(import.meta.url);
let http2wrapper;
const load = () => (http2wrapper ??= requireChunk('./http2-wrapper.cjs'));

// Every name got reads from the package's default export (got/dist/source/core/options.js).
export default {
  get auto() {
    return load().auto;
  },
  get globalAgent() {
    return load().globalAgent;
  },
};
