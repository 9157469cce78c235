import { RefusedError, UsageError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';
import { loadValidProject, requireApi } from '../project.js';

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
  const live = await api.getEndpoint(id);

  const { importedEntry } = await import('../../apply/index.js');
  const { lockEntryOf, openLockfileSession } = await import('../../lockfile/index.js');
  const session = await openLockfileSession(project.config.lockfilePath);
  try {
    const lockfile = session.current();
    const existing = lockEntryOf(lockfile, name);
    if (existing?.id === id) {
      ctx.stdout.write(`${name} is already recorded as ${id}; nothing to do.\n`);
      return 0;
    }
    if (existing) throw new RefusedError(`${name} is already recorded as ${existing.id}; remove that entry (or delete the endpoint) before importing ${id}`);
    const owner = Object.entries(lockfile.endpoints).find(([, entry]) => entry.id === id);
    if (owner) throw new RefusedError(`endpoint ${id} is already recorded under "${owner[0]}"`);

    await session.recordEndpoint(name, importedEntry(spec, live));
    ctx.stdout.write(`Imported ${id} as ${name} (${live.url}). Run \`ppio-deploy plan\` to see how it differs from the spec.\n`);
    return 0;
  } finally {
    await session.close();
  }
}
