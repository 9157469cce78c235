import { stringSink } from '../../report/types.js';
import type { CommandContext } from '../context.js';
import { idsOfOtherEnvironments, loadConfig, lockfileName, requireApi } from '../project.js';
import { readLockfile, apiOriginOf, assertLockfileOrigin } from '../../lockfile/index.js';
import { assembleStatus } from '../../status/index.js';
import { formatStatusJson } from '../../report/status-json.js';
import { formatStatusText } from '../../report/status-text.js';

/** `status`: the managed endpoints as they are live, then the unmanaged ones. Exit 2 when one is not healthy. */
export async function run(ctx: CommandContext, options: Record<string, unknown>): Promise<number> {
  const config = await loadConfig(ctx);
  const api = await requireApi(ctx, config, 'status');
  const lockfile = await readLockfile(config.lockfilePath, lockfileName(ctx, config));
  assertLockfileOrigin(lockfile, apiOriginOf(config.baseUrl), lockfileName(ctx, config));
  const live = await api.listEndpoints({
    expectedCount: Object.keys(lockfile.endpoints).length,
    managedIds: Object.values(lockfile.endpoints).map((entry) => entry.id),
  });

  const managedElsewhere = await idsOfOtherEnvironments(ctx, config);
  const report = assembleStatus({ lockfile, live, environment: config.environment?.name ?? null, managedElsewhere });
  const formatter = options['format'] === 'json' ? formatStatusJson : formatStatusText;
  const sink = stringSink();
  formatter(report, sink, { color: ctx.color });
  ctx.stdout.write(sink.text());
  return report.healthy ? 0 : 2;
}
