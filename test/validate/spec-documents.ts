/** Builds SpecDocuments from spec text with the real spec parser, for the validator's unit tests. */
import { expect } from '@jest/globals';
import { parseSpecText } from '../../src/spec/index.js';
import type { SpecDocument } from '../../src/spec/types.js';
import { basicSpecYaml } from '../helpers/cli.js';

export function parseDocuments(text: string, file = 'endpoints/a.yaml'): SpecDocument[] {
  const parsed = parseSpecText(text, file, `/project/${file}`);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.documents;
}

/** The basic spec with each `[from, to]` text replacement applied (each `from` must occur). */
export function editedSpec(edits: readonly (readonly [string, string])[], base = basicSpecYaml()): string {
  let text = base;
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`test setup: \`${from}\` is not in the spec`);
    text = text.replace(from, to);
  }
  return text;
}

/** A valid spec object (the one basicSpecYaml writes), for property tests. */
export function validSpecObject(): Record<string, unknown> {
  return {
    name: 'sdxl-turbo',
    appName: 'sdxl-turbo',
    image: { image: 'ghcr.io/acme/sdxl:1.4.2', command: 'python -m server --port 8080' },
    workerConfig: { minNum: 0, maxNum: 4, freeTimeout: 300, maxConcurrent: 2, gpuNum: 1, requestTimeout: 120 },
    ports: [{ port: 8080 }],
    policy: { type: 'queue', value: 30 },
    products: [{ id: '1' }],
    rootfsSize: 100,
    volumeMounts: [{ type: 'local', size: 30, mountPath: '/workspace' }],
    envs: [{ key: 'HF_TOKEN', value: '${env:HF_TOKEN}' }],
    healthy: { path: '/health' },
  };
}
