import path from 'node:path';
import { UsageError } from '../../common/errors.js';
import type { EmulatorOptions, RequestLogEntry } from '../../emulator/index.js';
import type { CommandContext } from '../context.js';
import { readCatalogFile, startEmulator } from '../../emulator/index.js';

/**
 * `ppio-deploy emulator`: serves the emulated PPIO API until SIGINT or SIGTERM, then stops
 * cleanly (flushing `--state`) and exits 0. The first stdout line is the listening URL,
 * so scripts can read it.
 */
export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const emulatorOptions = parseEmulatorOptions(options, ctx.cwd);
  if (options['catalog'] !== undefined) emulatorOptions.catalog = readCatalogFile(path.resolve(ctx.cwd, String(options['catalog'])));
  if (!ctx.quiet) emulatorOptions.onRequest = (entry) => ctx.stderr.write(formatAccessLine(entry));
  const emulator = await startEmulator(emulatorOptions).catch((error: unknown) => {
    throw explainListenError(error, emulatorOptions);
  });
  ctx.stdout.write(`ppio emulator listening on ${emulator.url}\n`);
  const key = emulatorOptions.apiKey === undefined ? 'any-non-empty' : '<the --api-key value>';
  ctx.stdout.write(`export PPIO_BASE_URL=${emulator.url} PPIO_API_KEY=${key}\n`);
  await waitForStopSignal();
  await emulator.stop();
  return 0;
}

/** Commander hands every value over as a string; each is checked here and named when wrong. */
function parseEmulatorOptions(options: Record<string, unknown>, cwd: string): EmulatorOptions {
  const parsed: EmulatorOptions = {
    port: parseInteger(options['port'] ?? '0', '--port', 0, 65535),
    host: parseLoopbackHost(options['host'] ?? '127.0.0.1'),
    latencyMs: parseNumber(options['latency'] ?? '0', '--latency', 0, Number.MAX_SAFE_INTEGER),
    readyAfterMs: parseNumber(options['readyAfter'] ?? '1000', '--ready-after', 0, Number.MAX_SAFE_INTEGER),
    errorRate: parseNumber(options['errorRate'] ?? '0', '--error-rate', 0, 1),
    rateLimitRate: parseNumber(options['rateLimitRate'] ?? '0', '--rate-limit-rate', 0, 1),
    dropRate: parseNumber(options['dropRate'] ?? '0', '--drop-rate', 0, 1),
    commitErrorRate: parseNumber(options['commitErrorRate'] ?? '0', '--commit-error-rate', 0, 1),
    oddEndpoints: options['oddEndpoints'] === true,
  };
  if (parsed.dropRate! + parsed.commitErrorRate! > 1) throw new UsageError('--drop-rate and --commit-error-rate must add up to at most 1');
  if (options['seed'] !== undefined) parsed.seed = parseInteger(options['seed'], '--seed', -(2 ** 31), 2 ** 32 - 1);
  if (options['state'] !== undefined) parsed.statePath = path.resolve(cwd, String(options['state']));
  if (options['apiKey'] !== undefined) {
    const apiKey = String(options['apiKey']).trim();
    if (apiKey === '') throw new UsageError('--api-key must not be empty');
    parsed.apiKey = apiKey;
  }
  return parsed;
}

function parseNumber(raw: unknown, flag: string, min: number, max: number): number {
  const text = String(raw).trim();
  const value = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`${flag} must be a number from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any' : max} (got "${text}")`);
  }
  return value;
}

function parseInteger(raw: unknown, flag: string, min: number, max: number): number {
  const text = String(raw).trim();
  if (!/^-?[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got "${text}")`);
  }
  return Number(text);
}

/** The emulator accepts any key and has no TLS: it must never listen beyond this machine. */
function parseLoopbackHost(raw: unknown): string {
  const host = String(raw).trim();
  if (host === 'localhost' || host === '::1' || /^127(\.[0-9]{1,3}){3}$/.test(host)) return host;
  throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1 or localhost), got "${host}"`);
}

function explainListenError(error: unknown, options: EmulatorOptions): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${options.host}:${options.port}`;
  if (code === 'EADDRINUSE') return new UsageError(`cannot listen on ${where}: the port is already in use (--port 0 picks a free one)`);
  if (code === 'EACCES') return new UsageError(`cannot listen on ${where}: permission denied`);
  if (code === 'EADDRNOTAVAIL') return new UsageError(`cannot listen on ${where}: the address is not available on this machine`);
  return error;
}

function formatAccessLine(entry: RequestLogEntry): string {
  const outcome = entry.status === 0 ? 'dropped' : String(entry.status);
  const details = [entry.reason, entry.fault && `injected ${entry.fault}`].filter(Boolean).join(', ');
  return `${entry.method} ${entry.path} ${outcome}${details ? ` (${details})` : ''} ${entry.durationMs}ms\n`;
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
