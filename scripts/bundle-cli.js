// Bundles the CLI (src/cli/ and everything it imports, dependencies included) with esbuild into
// dist/cli/: the package's `bin`, dist/cli/main.js, and the chunks it loads. schemas/ and
// package.json stay files beside them. Start-up time decides the layout:
// - main.js is CommonJS (dist/cli/package.json says so): a small file that answers `--version`
//   and the root `--help` without starting Node's ES module loader or loading commander. The
//   root help is commander's own output, rendered here from the built program and baked in
//   (test/cli/terminal.test.ts checks it against what commander prints).
// - Everything else is ES modules in dist/cli/chunks/*.mjs, split at src/cli's two dynamic
//   imports: main → program (commander and the command definitions) and program → each
//   command's module. A command loads only its own chunk and the chunks it shares with others,
//   so `validate` compiles neither the emulator, nor got (which src/api loads on the first
//   request), nor what only apply uses.
// The chunks' banner gives bundled CommonJS packages the `require` they call for Node's
// built-in modules. src/cli is not compiled by tsc: dist/cli holds only this bundle.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const source = (file) => new URL(`../src/cli/${file}`, import.meta.url).pathname;
const outdir = new URL('../dist/cli/', import.meta.url);
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
writeFileSync(new URL('package.json', outdir), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

// Packages a command may well not need, each bundled alone as CommonJS and loaded on the first
// call through a stand-in with the same functions (scripts/on-first-use/): `yaml` locates
// diagnostics, so a project without problems never loads it (~10 ms); proper-lockfile, with
// graceful-fs, only when apply, import, forget or export take the lock (~6 ms). The source
// imports them statically, and tests run it as it is.
const ON_FIRST_USE = ['yaml', 'proper-lockfile'];
for (const name of ON_FIRST_USE) {
  await build({ ...common, entryPoints: [name], outfile: new URL(`chunks/${name}.cjs`, outdir).pathname, format: 'cjs' });
}
const onFirstUse = {
  name: 'on-first-use',
  setup: (b) =>
    b.onResolve({ filter: new RegExp(`^(${ON_FIRST_USE.join('|')})$`) }, (args) => ({
      path: new URL(`on-first-use/${args.path}.js`, import.meta.url).pathname,
    })),
};

await build({
  ...common,
  entryPoints: { program: source('program.ts') },
  plugins: [onFirstUse],
  outdir: new URL('chunks', outdir).pathname,
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  banner: { js: "import { createRequire as __ppioCreateRequire } from 'node:module'; const require = __ppioCreateRequire(import.meta.url);" },
});

const { renderRootHelp } = await import(new URL('chunks/program.mjs', outdir).href);
await build({
  ...common,
  entryPoints: [source('main.ts')],
  outfile: new URL('main.js', outdir).pathname,
  format: 'cjs',
  // main.ts imports the program by its source name; the bundle loads the built chunk.
  plugins: [
    { name: 'program-chunk', setup: (b) => b.onResolve({ filter: /^\.\/program\.js$/ }, () => ({ path: './chunks/program.mjs', external: true })) },
  ],
  banner: { js: "const __ppioModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__ppioModuleUrl', BAKED_ROOT_HELP: JSON.stringify(renderRootHelp()) },
});
// The bin must be executable: a `file:` or git install links it as it is.
chmodSync(new URL('main.js', outdir), 0o755);
