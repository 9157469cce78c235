import { hasErrors } from '../../common/diagnostic.js';
import type { ValidationFormat } from '../../report/validation-formatters.js';
import type { CommandContext } from '../context.js';
import { readSourceForFrames } from '../output.js';
import { checkProject, fetchAccountFacts, requireApi } from '../project.js';
import { createValidationReport } from '../../report/validation-report.js';
import { selectValidationFormatter } from '../../report/validation-formatters.js';
import { checkAccountRules } from '../../schema/index.js';

export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const format = (options['format'] ?? 'text') as ValidationFormat;

  const remote = options['remote'] === true;
  // Offline, every environment is checked unless --env narrows it; an account belongs to one.
  const checked = await checkProject(ctx, { everyEnvironment: !remote });
  const diagnostics = [...checked.diagnostics];
  // Account checks need specs that are valid offline; they would only add noise otherwise.
  if (remote && checked.config && !hasErrors(diagnostics)) {
    const api = await requireApi(ctx, checked.config, 'validate --remote');
    diagnostics.push(...checkAccountRules(checked.specs, await fetchAccountFacts(api, checked.specs)));
  }
  const report = createValidationReport({
    files: checked.files.length,
    endpoints: checked.documents,
    diagnostics,
    readSource: (file) => readSourceForFrames(ctx.cwd, file),
  });
  selectValidationFormatter(format)(report, ctx.stdout, { color: ctx.color && format === 'text' });
  return report.valid ? 0 : 1;
}
