// Compiles schemas/*.schema.json into dist/schema/validators.js with ajv's standalone
// code generation, so the CLI never pays ajv's ~26 ms schema compile at run time.
// strictRequired is off: if/then branches legitimately require properties declared elsewhere.
// unicode is off: maxLength counts UTF-16 code units (string.length), as the API counts, not
// code points (an emoji is 2 units), so a value the API refuses never passes validate.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';

const standaloneCode = standaloneModule.default ?? standaloneModule;
const addFormats = addFormatsModule.default ?? addFormatsModule;
// ajv 8 calls the option deprecated but still honours it; that one warning is dropped.
const logger = {
  log: console.log,
  error: console.error,
  warn: (...args) => String(args[0]).startsWith('DEPRECATED: option unicode') || console.warn(...args),
};
const read = (file) => JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), 'utf8'));
const endpoint = read('endpoint.schema.json');
const config = read('config.schema.json');

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, unicode: false, logger, code: { source: true, esm: true } });
// Only the formats the schemas use, so the generated code imports no more than it needs.
addFormats(ajv, ['uri']);
ajv.addSchema(endpoint).addSchema(config);
const code = esmRuntimeImports(standaloneCode(ajv, { validateEndpoint: endpoint.$id, validateConfig: config.$id }));

mkdirSync(new URL('../dist/schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../dist/schema/validators.js', import.meta.url), code);

// ajv 8.20's standalone ESM output still loads its runtime helpers (ucs2length, for
// minLength/maxLength) and ajv-formats' format checks with `require(...)`, which throws in an
// ES module: import them instead.
function esmRuntimeImports(source) {
  let imports = '';
  const runtime = source.replace(/const (\w+) = require\("(ajv\/dist\/runtime\/[\w-]+)"\)\.default;/g, (_, name, path) => {
    imports += `import ${name}Module from "${path}.js";`;
    return `const ${name} = ${name}Module.default;`;
  });
  const body = runtime.replace(/const (\w+) = require\("ajv-formats\/dist\/formats"\)\.(\w+)\.([\w-]+);/g, (_, name, set, format) => {
    imports += `import ${name}Module from "ajv-formats/dist/formats.js";`;
    return `const ${name} = ${name}Module.${set}[${JSON.stringify(format)}];`;
  });
  if (body.includes('require(')) throw new Error('build-validators: unhandled require() in the generated validators');
  return body.replace('"use strict";', `"use strict";${imports}`);
}
