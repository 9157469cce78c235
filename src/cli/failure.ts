import { InputError, PpioError } from '../common/errors.js';
import type { CommandContext } from './context.js';

/**
 * Turns an error that escaped a command into its exit code and one clear message. Typed
 * errors are the user's business (message only); anything else is our bug.
 */
export function reportFailure(error: unknown, ctx: CommandContext, json: boolean): number {
  if (error instanceof PpioError && error.exitCode !== 1 && error.message === '') return error.exitCode;
  const known = error instanceof PpioError;
  const message = known ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  if (json) {
    const body: Record<string, unknown> = { error: { kind: known ? error.name : 'InternalError', message } };
    if (error instanceof InputError) (body['error'] as Record<string, unknown>)['diagnostics'] = error.diagnostics;
    ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (error instanceof InputError) {
    for (const d of error.diagnostics) ctx.stderr.write(`${d.file}:${d.line}:${d.column}  ${d.severity}  ${d.rule}  ${d.message}\n`);
    ctx.stderr.write(`Error: ${message}\n`);
  } else {
    ctx.stderr.write(`Error: ${message}\n`);
  }
  if (ctx.debug && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  else if (!known) ctx.stderr.write('This is a bug in ppio-deploy; rerun with --debug for the stack trace.\n');
  return known ? (error as PpioError).exitCode : 1;
}
