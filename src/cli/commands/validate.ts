import { UsageError } from '../../common/errors.js';
import type { CommandContext } from '../context.js';

// Placeholder until this command is wired to its stage; it fails loudly rather than pretend.
export async function run(_ctx: CommandContext, _options: Record<string, unknown>): Promise<number> {
  throw new UsageError('`validate` is not implemented yet');
}
