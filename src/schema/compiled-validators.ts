/**
 * The standalone validators that scripts/build-validators.js generates into
 * dist/schema/validators.js at build time (no ajv compile at run time).
 *
 * Compiled, this module sits beside them in dist/schema/. Run from source (jest maps
 * `./x.js` to `./x`, and there is no src/schema/validators.js), it loads the built copy,
 * so the tests exercise exactly the code the CLI runs.
 */
import type { CompiledValidator } from './validators.js';

const runningFromSource = import.meta.url.endsWith('.ts');
const generatedUrl = new URL(runningFromSource ? '../../dist/schema/validators.js' : './validators.js', import.meta.url);

const generated = (await import(generatedUrl.href)) as { validateEndpoint: CompiledValidator; validateConfig: CompiledValidator };

export const validateEndpoint: CompiledValidator = generated.validateEndpoint;
export const validateConfig: CompiledValidator = generated.validateConfig;
