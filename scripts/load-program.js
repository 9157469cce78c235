// What the bundled entry gets for `import('./program.js')` (see scripts/bundle-cli.js): it
// loads dist/cli/program.cjs as `require` would, but compiled with the V8 code cache the build
// wrote beside it (program.cjs.cache), which spares compiling the ~890 KB file and the
// functions a validate run uses. V8 rejects a cache from another Node version or other V8
// flags, and the program then compiles from source as usual; a missing cache is the same.
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** Compiles and runs a CommonJS file with its code cache; `script` can make a new cache. */
export function loadWithCodeCache(file) {
  const code = readFileSync(file, 'utf8');
  // The module wrapper on the file's first line keeps line numbers in stack traces right. V8
  // keeps the name a script had when its cache was made (the build's path), so stack traces
  // name the file by its place in the package, the same with or without the cache.
  const source = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
  const script = new Script(source, { filename: `ppio-deploy/dist/cli/${path.basename(file)}`, cachedData: cachedDataFor(file, code) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script };
}

// V8 checks a code cache only against the length of the source, so an edit that keeps the
// length (a patched digit) would run the old code. The cache file therefore starts with the
// SHA-1 of the source it was made from, and is used only for that source.
const DIGEST_BYTES = 20;
const digestOf = (code) => hash('sha1', code, 'buffer');

function cachedDataFor(file, code) {
  let cache;
  try {
    cache = readFileSync(`${file}.cache`);
  } catch {
    return undefined; // no cache: compile from source
  }
  return cache.subarray(0, DIGEST_BYTES).equals(digestOf(code)) ? cache.subarray(DIGEST_BYTES) : undefined;
}

/** The contents of `${file}.cache` for a script `loadProgram(file)` compiled and ran. */
export const codeCacheFor = (file, script) => Buffer.concat([digestOf(readFileSync(file, 'utf8')), script.createCachedData()]);

export const runCli = (argv) => loadWithCodeCache(fileURLToPath(new URL('program.cjs', import.meta.url))).exports.runCli(argv);
