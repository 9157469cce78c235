import path from 'node:path';
import { InputError, RefusedError, UsageError } from '../../common/errors.js';
import { isInside, outsideProjectReason } from '../../common/files.js';
import type { ExportedEndpoint } from '../../export/index.js';
import type { ProjectConfig } from '../../config/types.js';
import { stringSink } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { writeNewFiles, type NewFile } from '../output.js';
import { checkProject, hasLocalSchemas, idsOfOtherEnvironments, lockfileName, projectPath, requireApi } from '../project.js';
import { planExport } from '../../export/index.js';
import { openLockfileSession, apiOriginOf, assertLockfileOrigin } from '../../lockfile/index.js';
import { formatExportText } from '../../report/export-text.js';
import { defaultSpecFolder, matchesSpecPatterns, parseSpecText, toDisplayPath } from '../../spec/index.js';
import { renderExportedSpec } from '../../report/export-spec.js';
import { endpointModeline } from '../../schema/starter-files.js';
import { validateSpecs } from '../../schema/index.js';

/**
 * `export [ID…] [--dir DIR]`: specs for live endpoints made elsewhere (all unmanaged ones
 * when no ID is given), written next to the project's specs and recorded in the lockfile, so
 * that the next plan shows no changes. Never overwrites a file; writes all files or none.
 */
export async function run(ctx: CommandContext, options: Record<string, unknown>, ids: string[]): Promise<number> {
  const checked = await checkProject(ctx);
  if (!checked.config) throw new InputError(checked.diagnostics);
  const config = checked.config;
  const folder = await exportFolder(ctx, config, options['dir']);
  const api = await requireApi(ctx, config, 'export');
  const live = await api.listEndpoints();

  const lockfile = lockfileName(ctx, config);
  const session = await openLockfileSession(config.lockfilePath, { displayName: lockfile });
  try {
    const origin = apiOriginOf(config.baseUrl);
    assertLockfileOrigin(session.current(), origin, lockfile);
    session.bindOrigin(origin);
    const input = {
      live,
      lockfile: session.current(),
      ids,
      specNames: new Set(checked.specs.map((valid) => valid.spec.name)),
      specAppNames: new Map(
        checked.specs.flatMap((valid) => (valid.spec.appName === undefined ? [] : [[valid.spec.appName, valid.spec.name] as const])),
      ),
      folder,
      managedElsewhere: await idsOfOtherEnvironments(ctx, config),
    };
    let plan = planExport(input);
    let rendered = await renderFiles(ctx, config, plan.endpoints, folder);
    if (rendered.unexportable.size > 0) {
      // Asked for by id: refuse. Exporting everything: leave those out and export the others.
      if (ids.length > 0)
        throw new RefusedError(
          `cannot export ${describeUnexportable(rendered.unexportable)}; nothing was written. Write its spec by hand and \`ppio-deploy import\` it`,
        );
      plan = planExport({ ...input, leaveOut: rendered.unexportable });
      rendered = await renderFiles(ctx, config, plan.endpoints, folder);
    }
    writeNewFiles('export', rendered.files, 'move what is in the way, or export into another --dir');
    for (const endpoint of plan.endpoints) {
      await session.recordEndpoint(endpoint.name, { id: endpoint.id, url: endpoint.url, source: endpoint.file, applied: endpoint.applied });
    }
    const sink = stringSink();
    const otherEnvironments = Object.keys(config.environments)
      .filter((name) => name !== config.environment?.name)
      .sort();
    formatExportText({ plan, lockfile, otherEnvironments }, sink, { color: ctx.color });
    ctx.stdout.write(sink.text());
    return 0;
  } finally {
    await session.close();
  }
}

/** `--dir` (relative to the working directory) or the folder of the first spec pattern; one the patterns cover. */
async function exportFolder(ctx: CommandContext, config: ProjectConfig, dir: unknown): Promise<string> {
  const folder = typeof dir === 'string' ? projectPath(config, path.resolve(ctx.cwd, dir)) : defaultSpecFolder(config.specs);
  const named = typeof dir === 'string' ? `--dir ${dir}` : `the folder ${folder || '.'} (where the first spec pattern starts)`;
  const absolute = path.join(config.rootDir, ...folder.split('/'));
  const outside = isInside(config.projectRoot, absolute) ? outsideProjectReason(absolute, config.projectRoot) : 'it is outside the project';
  if (outside !== undefined) throw new UsageError(`${named}: ${outside}`);
  const probe = folder === '' ? 'exported.yaml' : `${folder}/exported.yaml`;
  if (!matchesSpecPatterns(config.specs, probe)) {
    throw new UsageError(
      `${named}: files there would not match the spec patterns (${config.specs.join(', ')}), so plans would not see them; ` +
        'choose a folder the patterns cover, or add one to `specs` in the config',
    );
  }
  return folder;
}

/**
 * Each spec rendered and checked exactly as `validate` will check it, before anything is
 * written. An endpoint whose spec would be invalid (a live value no spec may hold) comes back
 * in `unexportable`, with the first problem.
 */
async function renderFiles(
  ctx: CommandContext,
  config: ProjectConfig,
  endpoints: readonly ExportedEndpoint[],
  folder: string,
): Promise<{ files: NewFile[]; unexportable: Map<string, string> }> {
  const modeline = endpointModeline(folder, hasLocalSchemas(config.rootDir));
  const files = endpoints.map((endpoint) => {
    const absolute = path.join(config.rootDir, ...endpoint.file.split('/'));
    return { absolute, shown: toDisplayPath(ctx.cwd, absolute), content: renderExportedSpec(endpoint, modeline) };
  });
  const unexportable = new Map<string, string>();
  files.forEach((file, index) => {
    const parsed = parseSpecText(file.content, file.shown, file.absolute);
    const problem = [...parsed.diagnostics, ...validateSpecs(parsed.documents).diagnostics].find((d) => d.severity === 'error');
    const endpoint = endpoints[index];
    if (problem && endpoint) unexportable.set(endpoint.id, `its spec would be invalid: ${problem.message} (at ${problem.path || '/'})`);
  });
  return { files, unexportable };
}

const describeUnexportable = (unexportable: ReadonlyMap<string, string>): string =>
  [...unexportable].map(([id, reason]) => `${id}: ${reason}`).join('; ');
