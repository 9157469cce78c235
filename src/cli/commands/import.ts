import { ApiError, UsageError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';
import { loadValidProject, lockfileName, projectPath, requireApi } from '../project.js';
import { checkImport, importedEntry } from '../../apply/index.js';
import { openLockfileSession, apiOriginOf, assertLockfileOrigin } from '../../lockfile/index.js';

/** `import NAME ID`: record an existing live endpoint in the lockfile under spec NAME. */
export async function run(ctx: CommandContext, _options: Record<string, unknown>, args: string[]): Promise<number> {
  const [name, id] = args as [string, string];
  const project = await loadValidProject(ctx);
  const spec = project.specs.find((s) => s.spec.name === name);
  if (!spec) {
    const known = project.specs.map((s) => s.spec.name).join(', ') || 'none';
    throw new UsageError(`no spec is named "${name}" (specs: ${known}); import records a live endpoint under an existing spec's name`);
  }
  const api = await requireApi(ctx, project.config, 'import');
  const live = await api.getEndpoint(id).catch((error: unknown) => {
    if (error instanceof ApiError && error.isNotFound) throw new UsageError(`the account has no endpoint ${id}`);
    throw error;
  });

  const session = await openLockfileSession(project.config.lockfilePath, { displayName: lockfileName(ctx, project.config) });
  try {
    const origin = apiOriginOf(project.config.baseUrl);
    assertLockfileOrigin(session.current(), origin, lockfileName(ctx, project.config));
    session.bindOrigin(origin);
    if (checkImport(session.current(), name, id) === 'already-recorded') {
      ctx.stdout.write(`${name} is already recorded as ${id}; nothing to do.\n`);
      return 0;
    }
    await session.recordEndpoint(name, importedEntry(spec, live, projectPath(project.config, spec.document.absolutePath)));
    ctx.stdout.write(`Imported ${id} as ${name} (${live.url}). Run \`ppio-deploy plan\` to see how it differs from the spec.\n`);
    return 0;
  } finally {
    await session.close();
  }
}
