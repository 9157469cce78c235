import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { hasErrors, type Diagnostic } from '../../common/diagnostic.js';
import type { ProjectConfig } from '../../config/types.js';
import type { ValidationFormat } from '../../report/validation-formatters.js';
import type { ValidSpec } from '../../spec/types.js';
import type { CommandContext } from '../context.js';

/** Code frames are shown only for files the loader accepts (it refuses larger ones). */
const MAX_SOURCE_BYTES = 1024 * 1024;

export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const format = (options['format'] ?? 'text') as ValidationFormat;
  const { createValidationReport } = await import('../../report/validation-report.js');
  const { selectValidationFormatter } = await import('../../report/validation-formatters.js');

  const checked = await checkProject(ctx, options['remote'] === true);
  const report = createValidationReport({ ...checked, readSource: (file) => readSourceText(ctx.cwd, file) });
  selectValidationFormatter(format)(report, ctx.stdout, { color: ctx.color && format === 'text' });
  return report.valid ? 0 : 1;
}

interface CheckedProject {
  files: number;
  endpoints: number;
  diagnostics: Diagnostic[];
}

/** config → specs → schema and project rules (→ account rules with --remote). */
async function checkProject(ctx: CommandContext, remote: boolean): Promise<CheckedProject> {
  const { loadProjectConfig } = await import('../../config/index.js');
  const loaded = await loadProjectConfig({ cwd: ctx.cwd, configPath: ctx.configPath, env: ctx.env });
  if (!loaded.config) return { files: 0, endpoints: 0, diagnostics: loaded.diagnostics };

  const { loadSpecs } = await import('../../spec/index.js');
  const { validateSpecs } = await import('../../schema/index.js');
  const config = loaded.config;
  const specs = await loadSpecs({ rootDir: config.rootDir, patterns: config.specs, cwd: ctx.cwd, configFile: config.configFile });
  const validation = validateSpecs(specs.documents);
  const diagnostics = [...loaded.diagnostics, ...specs.diagnostics, ...validation.diagnostics];
  // Account checks need specs that are valid offline; they would only add noise otherwise.
  if (remote && !hasErrors(diagnostics)) diagnostics.push(...(await checkAccount(ctx, config, validation.valid)));
  return { files: specs.files.length, endpoints: specs.documents.length, diagnostics };
}

async function checkAccount(ctx: CommandContext, config: ProjectConfig, specs: ValidSpec[]): Promise<Diagnostic[]> {
  const { requireApi } = await import('../project.js');
  const { checkAccountRules } = await import('../../schema/index.js');
  const api = await requireApi(ctx, config, 'validate --remote');
  const needsStorages = specs.some(({ spec }) => spec.volumeMounts.some((mount) => mount.type === 'network'));
  const needsAuths = specs.some(({ spec }) => Boolean(spec.image.authId));
  const [limits, storages, auths] = await Promise.all([
    api.getLimits(),
    needsStorages ? api.listNetworkStorages() : Promise.resolve([]),
    needsAuths ? api.listRegistryAuths() : Promise.resolve([]),
  ]);
  return checkAccountRules(specs, { limits, storages, auths });
}

/** A file's text for code frames; undefined when it is missing, too large or not text. */
function readSourceText(cwd: string, file: string): string | undefined {
  try {
    const absolute = path.resolve(cwd, file);
    if (statSync(absolute).size > MAX_SOURCE_BYTES) return undefined;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(absolute));
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}
