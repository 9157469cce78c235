// Generates a project of N typical endpoint specs (one YAML file each, ~40 lines, or the same
// specs as JSON files).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

export function generateProject(dir, count, format = 'yaml') {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'endpoints'), { recursive: true });
  writeFileSync(path.join(dir, 'ppio.config.yaml'), `specs: ["endpoints/*.${format}"]\nconcurrency: 8\n`);
  for (let i = 0; i < count; i++) {
    const name = `model-${String(i).padStart(4, '0')}`;
    const text = specText(name, i);
    writeFileSync(path.join(dir, 'endpoints', `${name}.${format}`), format === 'json' ? `${JSON.stringify(load(text), null, 2)}\n` : text);
  }
  return dir;
}

function specText(name, i) {
  return `# yaml-language-server: $schema=../../schemas/endpoint.schema.json
name: ${name}
appName: ${name}
image:
  image: ghcr.io/acme/${name}:1.${i % 10}.0
  command: python -m server --port 8080 --workers 2
workerConfig:
  minNum: ${i % 2}
  maxNum: ${2 + (i % 6)}
  freeTimeout: 300
  maxConcurrent: 2
  gpuNum: 1
  requestTimeout: 120
ports:
  - port: 8080
policy:
  type: ${i % 3 === 0 ? 'concurrency' : 'queue'}
  value: ${10 + (i % 20)}
products:
  - id: "${1 + (i % 4)}"
rootfsSize: 100
volumeMounts:
  - type: local
    size: 30
    mountPath: /workspace
envs:
  - key: MODEL_ID
    value: acme/${name}
  - key: LOG_LEVEL
    value: info
  - key: MAX_BATCH
    value: "${4 + (i % 4)}"
healthy:
  path: /health
`;
}
