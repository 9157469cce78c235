// Bundles the CLI (src/cli/main.ts and everything it imports, dependencies included) with
// esbuild: dist/cli/main.js is the package's `bin`, an ES module that loads a handful of files
// instead of a few hundred. schemas/ and package.json stay files beside it. The two dynamic
// imports in src/cli (main → program, program → commands) become the chunks in
// dist/cli/chunks/, so `--version` and `--help` do not compile the whole CLI (on Node 20, with
// no compile cache, compiling the 1.4 MB single-file bundle cost more than it saved). The
// banner gives bundled CommonJS packages the `require` they call for Node's built-in modules.
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/cli/', import.meta.url).pathname;
rmSync(new URL('chunks', new URL('../dist/cli/', import.meta.url)), { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  banner: { js: "import { createRequire as __ppioCreateRequire } from 'node:module'; const require = __ppioCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
// The bin must be executable: a `file:` or git install links it as it is.
chmodSync(new URL('main.js', new URL('../dist/cli/', import.meta.url)), 0o755);
