#!/usr/bin/env node
/**
 * The ppio-deploy entry point, bundled as a small CommonJS file (scripts/bundle-cli.js): it
 * answers `--version` and the root `--help` without starting Node's ES module loader or
 * loading commander. Everything else goes to the program (commander and the command
 * definitions), which loads each command's module when it runs: these two dynamic imports are
 * the CLI's only ones, both for start-up time. This is the only place that sets the process
 * exit code.
 */
import { readVersion } from './version.js';

/** Commander's root help (`renderRootHelp` in program.ts), put in by the bundler; absent when run from source. */
declare const BAKED_ROOT_HELP: string | undefined;

const argv = process.argv.slice(2);

// A reader that stops early (`ppio-deploy plan | head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

const asks = (...flags: string[]): boolean => argv.length === 1 && flags.includes(argv[0] as string);
// The baked help is wrapped at 80 columns; a narrower terminal gets commander's own wrapping.
const columns = process.stdout.isTTY ? process.stdout.columns : 0;
const narrowTerminal = columns > 0 && columns < 80;

if (asks('--version', '-V')) {
  process.stdout.write(`${readVersion()}\n`);
} else if (asks('--help', '-h') && typeof BAKED_ROOT_HELP === 'string' && !narrowTerminal) {
  process.stdout.write(BAKED_ROOT_HELP);
} else {
  void import('./program.js').then(async ({ runCli }) => {
    process.exitCode = await runCli(argv);
  });
}
