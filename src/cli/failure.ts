import { InputError, PpioError } from '../common/errors.js';
import type { CommandContext } from './context.js';
import { readSourceForFrames } from './output.js';
import { createValidationReport } from '../report/validation-report.js';
import { formatValidationText } from '../report/validation-text.js';

/**
 * Turns an error that escaped a command into its exit code and one clear message. Typed
 * errors are the user's business (message only); anything else is our bug.
 */
export async function reportFailure(error: unknown, ctx: CommandContext, json: boolean): Promise<number> {
  if (error instanceof PpioError && error.exitCode !== 1 && error.message === '') return error.exitCode;
  const known = error instanceof PpioError;
  const message = known ? error.message : `internal error: ${error instanceof Error ? error.message : String(error)}`;
  if (json) {
    const body: Record<string, unknown> = { error: { kind: known ? error.name : 'InternalError', message } };
    if (error instanceof InputError) (body['error'] as Record<string, unknown>)['diagnostics'] = error.diagnostics;
    ctx.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else if (error instanceof InputError) {
    await renderDiagnostics(error, ctx);
  } else {
    ctx.stderr.write(`Error: ${message}\n`);
  }
  if (ctx.debug && error instanceof Error && error.stack) ctx.stderr.write(`${error.stack}\n`);
  else if (!known) ctx.stderr.write('This is a bug in ppio-deploy; rerun with --debug for the stack trace.\n');
  return known ? (error as PpioError).exitCode : 1;
}

/** Input errors from plan/apply/import look exactly like `validate`'s, code frames included. */
async function renderDiagnostics(error: InputError, ctx: CommandContext): Promise<void> {
  const files = new Set(error.diagnostics.map((d) => d.file));
  const report = createValidationReport({
    files: files.size,
    endpoints: 0,
    diagnostics: error.diagnostics,
    readSource: (file) => readSourceForFrames(ctx.cwd, file),
  });
  formatValidationText(report, ctx.stderr, { color: ctx.color });
}
