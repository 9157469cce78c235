// Writes schemas/*.schema.json from the TypeBox definitions in src/schema/definitions.ts
// (compiled to dist/ by `npm run build`). `npm run schemas` runs it; a test fails when the
// committed files differ from what this would write.
import { writeFileSync } from 'node:fs';
import { renderSchemas } from '../dist/schema/render.js';

for (const [file, text] of Object.entries(renderSchemas())) {
  writeFileSync(new URL(`../schemas/${file}`, import.meta.url), text);
  console.log(`wrote schemas/${file}`);
}
