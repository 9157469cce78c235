/**
 * The standalone validators scripts/build-validators.js generates from schemas/ into
 * validators.js beside this file (committed; no ajv compile at run time).
 */
export { validateConfig, validateEndpoint } from './validators.js';
