export { validateSpecs } from './validate-specs.js';
export { checkAccountRules, type AccountFacts } from './account-rules.js';
export { mapSchemaErrors } from './schema-errors.js';
export { validateEndpoint, validateConfig } from './compiled-validators.js';
export type { Spec, VolumeMountSpec, ProjectConfigFile } from './definitions.js';
export type { EndpointConfig, VolumeMount } from './endpoint-config.js';
export { REPLACE_FIELDS } from './endpoint-config.js';
export { validateResolved, type ResolvedSpec } from './validate-resolved.js';
export { isReservedName, isSecretEnvKey } from './project-rules.js';
