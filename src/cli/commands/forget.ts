import { InputError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';
import { checkProject, lockfileName } from '../project.js';
import { checkForget } from '../../apply/index.js';
import { openLockfileSession } from '../../lockfile/index.js';

/** `forget NAME`: stop managing an endpoint without touching it (Terraform's `state rm`). */
export async function run(ctx: CommandContext, _options: Record<string, unknown>, args: string[]): Promise<number> {
  const [name] = args as [string];
  // Only the config must be valid: forgetting is how a user cleans up, whatever state the specs are in.
  const checked = await checkProject(ctx);
  if (!checked.config) throw new InputError(checked.diagnostics);
  const config = checked.config;

  const lockfile = lockfileName(ctx, config);
  const session = await openLockfileSession(config.lockfilePath, { displayName: lockfile });
  let id: string;
  try {
    id = checkForget(session.current(), name).id;
    await session.removeEndpoint(name);
  } finally {
    await session.close();
  }
  const spec = checked.specs.find((valid) => valid.spec.name === name);
  const next = spec ? '' : ' Plans now list it as not managed.';
  ctx.stdout.write(`Forgot ${name}: removed endpoint ${id} from ${lockfile}; the endpoint itself is untouched.${next}\n`);
  if (spec && !ctx.quiet) {
    ctx.stderr.write(
      `note: the spec ${name} is still in ${spec.document.file}: the next plan offers to adopt the endpoint again. Remove or rename the spec to stop managing it.\n`,
    );
  }
  return 0;
}
