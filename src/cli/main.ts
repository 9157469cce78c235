#!/usr/bin/env node
/**
 * The ppio-deploy entry point. It does as little as possible before it knows which command
 * runs: `--version` answers without loading anything else, commander loads only for real
 * commands, and each command module (with its heavy dependencies) loads only when chosen.
 * This is the only place that sets the process exit code.
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
