#!/usr/bin/env node
/**
 * The ppio-deploy entry point (bundled: scripts/bundle-cli.js). Imports are static everywhere
 * but at two places, both here in cli/ and both for startup time only: this file loads the
 * program (commander and the command definitions) after answering `--version`, and the program
 * loads the command implementations once a command runs. This is the only place that sets the
 * process exit code.
 */
import { readVersion } from './version.js';

const argv = process.argv.slice(2);

// A reader that stops early (`ppio-deploy plan | head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${readVersion()}\n`);
} else {
  const { runCli } = await import('./program.js');
  process.exitCode = await runCli(argv);
}
