/**
 * The standalone validators scripts/build-validators.js generates from schemas/ into
 * validators.js beside this file (committed; no ajv compile at run time), and the schemas
 * they were generated from.
 */
export { schemas, validateConfig, validateEndpoint } from './validators.js';
