import type { LiveEndpoint } from '../schema/live-endpoint.js';
import { isTemplated } from '../common/template.js';
import { RefusedError } from '../common/errors.js';
import { lockEntryOf } from '../lockfile/entries.js';
import { UNRECORDED_VALUE, type LockEntry, type Lockfile } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { normalizeSpec } from '../spec/index.js';
import type { ValidSpec } from '../spec/types.js';

/**
 * The lockfile entry for `import NAME ID`. `applied` is the live configuration (what the
 * endpoint runs), except that no secret may reach the lockfile: a value the spec
 * interpolates keeps its `${env:…}` template, and an env value the spec does not hold
 * verbatim is replaced by `(not recorded)`.
 */
export function importedEntry(spec: ValidSpec, live: LiveEndpoint, source: string): LockEntry {
  const template = normalizeSpec(spec.spec);
  const applied = structuredClone(live.config);
  applied.envs = live.config.envs.map(({ key, value }) => ({ key, value: recordedEnvValue(key, value, template) }));
  copyTemplatedStrings({ ...template, envs: [] }, applied);
  return { id: live.id, url: live.url, source, applied };
}

/**
 * The rules of `import NAME ID`: importing what is already recorded is a no-op; a name
 * recorded with another id, or an id recorded under another name, is refused (the lockfile
 * maps one name to one endpoint).
 */
export function checkImport(lockfile: Lockfile, name: string, id: string): 'already-recorded' | 'new' {
  const existing = lockEntryOf(lockfile, name);
  if (existing?.id === id) return 'already-recorded';
  if (existing)
    throw new RefusedError(`${name} is already recorded as ${existing.id}; remove that entry (or delete the endpoint) before importing ${id}`);
  const owner = Object.entries(lockfile.endpoints).find(([, entry]) => entry.id === id);
  if (owner) throw new RefusedError(`endpoint ${id} is already recorded under "${owner[0]}"`);
  return 'new';
}

function recordedEnvValue(key: string, liveValue: string, template: EndpointConfig): string {
  const wanted = template.envs.find((env) => env.key === key)?.value;
  if (wanted !== undefined && isTemplated(wanted)) return wanted;
  return wanted === liveValue ? liveValue : UNRECORDED_VALUE;
}

/** Outside envs, each string the spec interpolates is recorded as its template, at the same place. */
function copyTemplatedStrings(template: unknown, target: unknown): void {
  if (template === null || typeof template !== 'object' || target === null || typeof target !== 'object') return;
  const from = template as Record<string, unknown>;
  const to = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === 'string' && isTemplated(value) && key in to) to[key] = value;
    else copyTemplatedStrings(value, to[key]);
  }
}
