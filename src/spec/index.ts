export type { DesiredEndpoint, SpecDocument, ValidSpec } from './types.js';
export { loadSpecs, toDisplayPath } from './load-specs.js';
export { defaultSpecFolder, matchesSpecPatterns } from './spec-patterns.js';
export { parseSpecText, MAX_SPEC_FILE_BYTES } from './parse-spec-text.js';
export { specFileReader } from './read-spec-file.js';
export { resolveDesired } from './resolve-desired.js';
export { normalizeSpec } from './normalize-spec.js';
export { parseYamlText } from './parse-yaml.js';
export { decodeSpecBytes } from './decode-text.js';
