// Bundles the CLI (src/cli/ and everything it imports, dependencies included) with esbuild into
// dist/cli/, as CommonJS files (dist/cli/package.json says so): Node 20 starts its ES module
// loader only for ES modules, and that alone costs ~10 ms. schemas/ and package.json stay
// files beside them. Start-up time decides the layout, one file per step:
// - main.js, the `bin`: answers `--version` and the root `--help` without loading anything
//   else. The root help is commander's own output, rendered here from the built program and
//   baked in (test/cli/terminal.test.ts checks it against what commander prints).
// - program.cjs: commander, the command definitions and every command (src/cli's dynamic
//   imports become functions that evaluate a command's modules when it runs, so its cost is
//   compiling, not running, what other commands use). One file compiles faster than the same
//   code split into ES module chunks, and CommonJS cannot be split. Node 20 keeps no compile
//   cache, so the build writes program.cjs.cache, V8's code cache for it, and the entry loads
//   the program through scripts/load-program.js, which uses it (~30 ms less CPU for validate).
// - got.cjs, yaml.cjs, proper-lockfile.cjs, jsonc-parser.cjs: packages a command may well not
//   need, each bundled alone and loaded on first use. got is imported dynamically by src/api on
//   the first request; `yaml` only locates diagnostics, so a project without problems never
//   loads it (~10 ms); proper-lockfile, with graceful-fs, only when apply, import, forget or
//   export take the lock (~6 ms); jsonc-parser only for a .json file with a syntax error. For
//   the last three, the source imports them statically (tests run it as it is) and the bundle
//   substitutes a stand-in with the same functions (scripts/on-first-use/).
// - got's load is time before plan's and apply's first request, so got.cjs has a code cache of
//   its own (got.cjs.cache, used by scripts/load-got.js), and is bundled without http2-wrapper
//   (with node:http2, a third of got's load), which only got's `http2` option uses: a stand-in
//   loads http2-wrapper.cjs then. Loading got went from ~50 to ~30 ms.
// src/cli is not compiled by tsc: dist/cli holds only this bundle.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { codeCacheFor, loadWithCodeCache } from './load-program.js';

const source = (file) => new URL(`../src/cli/${file}`, import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url);
const out = (file) => new URL(file, outdir).pathname;
const ON_FIRST_USE = ['yaml', 'proper-lockfile', 'jsonc-parser'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // `import()` becomes `require()`, so nothing starts the ES module loader.
  supported: { 'dynamic-import': false },
  banner: { js: "const __ppioModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__ppioModuleUrl' },
  logLevel: 'warning',
};
/** Resolves the imports matched by `filter` to what `to(path)` returns. */
const redirect = (filter, to) => ({ name: `redirect ${filter}`, setup: (b) => b.onResolve({ filter }, (args) => to(args.path)) });
/**
 * fdir, which tinyglobby crawls with, looks for picomatch with `require` when it loads, for a
 * `.glob()` that tinyglobby never calls (it passes its own matchers). From the bundle that is a
 * search of the file system and a second, uncached copy of picomatch, before any spec is read.
 */
const FDIR_PICOMATCH_LOOKUP = '__require.resolve("picomatch");\n\tpm = __require("picomatch");';
const fdirWithoutPicomatchLookup = {
  name: 'fdir without its picomatch lookup',
  setup: (b) =>
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes(FDIR_PICOMATCH_LOOKUP))
        throw new Error(`bundle-cli: ${args.path} no longer has the picomatch lookup this build removes; check it again`);
      return { contents: code.replace(FDIR_PICOMATCH_LOOKUP, ''), loader: 'js' };
    }),
};
/** A package's stand-in in scripts/on-first-use/, which loads the package's own chunk on the first call. */
const onFirstUse = (name) => ({ path: new URL(`on-first-use/${name}.js`, import.meta.url).pathname });

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(out('package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// jsonc-parser's main file is a UMD module whose inner requires esbuild cannot follow.
const ENTRY_POINTS = { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' };
for (const name of ON_FIRST_USE) await build({ ...common, entryPoints: [ENTRY_POINTS[name] ?? name], outfile: out(`${name}.cjs`) });
// got, without http2-wrapper (only its `http2` option needs it), which loads on first use.
await build({ ...common, entryPoints: ['got'], outfile: out('got.cjs'), plugins: [redirect(/^http2-wrapper$/, onFirstUse)] });
await build({ ...common, entryPoints: ['http2-wrapper'], outfile: out('http2-wrapper.cjs') });
writeFileSync(out('got.cjs.cache'), codeCacheFor(out('got.cjs'), loadWithCodeCache(out('got.cjs')).script));
await build({
  ...common,
  entryPoints: [source('program.ts')],
  outfile: out('program.cjs'),
  plugins: [
    fdirWithoutPicomatchLookup,
    redirect(/^got$/, () => ({ path: new URL('load-got.js', import.meta.url).pathname })),
    redirect(new RegExp(`^(${ON_FIRST_USE.join('|')})$`), onFirstUse),
  ],
});

const { exports: program, script } = loadWithCodeCache(out('program.cjs'));
await build({
  ...common,
  entryPoints: [source('main.ts')],
  outfile: out('main.js'),
  // main.ts imports the program by its source name; the bundle loads the built file with its code cache.
  plugins: [redirect(/^\.\/program\.js$/, () => ({ path: new URL('load-program.js', import.meta.url).pathname }))],
  define: { ...common.define, BAKED_ROOT_HELP: JSON.stringify(program.renderRootHelp()) },
});
await writeCodeCache(program, script);
/**
 * program.cjs's V8 code cache (scripts/load-program.js), made after the program has scaffolded
 * a project with `init` and validated it, so it also holds the functions every command starts
 * with: reading the config and the specs, the schema checks.
 */
async function writeCodeCache(program, script) {
  const project = mkdtempSync(path.join(os.tmpdir(), 'ppio-deploy-code-cache-'));
  const warnings = [];
  const { stdout, stderr } = process;
  const writes = [stdout.write, stderr.write];
  stdout.write = stderr.write = () => true;
  try {
    for (const command of ['init', 'validate']) {
      const code = await program.runCli([command, '--cwd', project]);
      // Only a smaller cache, not a broken build (e.g. PPIO_ENV names an environment init has not).
      if (code !== 0) warnings.push(`bundle-cli: \`${command}\` of the code cache's warm-up project exited ${code}`);
    }
  } finally {
    [stdout.write, stderr.write] = writes;
    rmSync(project, { recursive: true, force: true });
  }
  for (const warning of warnings) console.warn(warning);
  writeFileSync(out('program.cjs.cache'), codeCacheFor(out('program.cjs'), script));
}

// The bin must be executable: a `file:` or git install links it as it is.
chmodSync(out('main.js'), 0o755);
