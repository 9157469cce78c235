/**
 * The precompiled config validator (dist/schema/validators.js, generated at build time, so no
 * ajv compile at run time). Compiled, this file sits in dist/config/ next to dist/schema/;
 * run from source under jest (`.ts`), it loads the same built file.
 */
import type { CompiledValidator } from '../schema/validators.js';

const runningFromSource = import.meta.url.endsWith('.ts');
const validatorsUrl = new URL(runningFromSource ? '../../dist/schema/validators.js' : '../schema/validators.js', import.meta.url);

export async function loadConfigValidator(): Promise<CompiledValidator> {
  const validators = (await import(validatorsUrl.href)) as { validateConfig: CompiledValidator };
  return validators.validateConfig;
}
