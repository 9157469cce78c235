/**
 * Drift: a live endpoint that no longer matches what the lockfile says was applied, i.e. it
 * was changed outside ppio-deploy (the console, curl, another tool).
 */
import { valueAtPointer } from '../common/json-pointer.js';
import { isTemplated } from '../common/template.js';
import { UNRECORDED_VALUE } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { configDifferences } from './config-differences.js';
import { isDeepEqual, type RawDiff } from './diff.js';

/**
 * The JSON pointers where the live configuration differs from the recorded one. A value the
 * lockfile keeps as a `${env:…}` template or as `(not recorded)` cannot be compared without
 * the secret, and a field the platform filled in is not a change: neither counts.
 */
export function driftedPaths(applied: EndpointConfig, live: EndpointConfig): string[] {
  return configDifferences(applied, live)
    .filter((diff) => !isUnknowable(valueAtPointer(applied, diff.path)))
    .map((diff) => diff.path);
}

const isUnknowable = (recorded: unknown): boolean => typeof recorded === 'string' && (recorded === UNRECORDED_VALUE || isTemplated(recorded));

const ENV_POINTER = /^\/envs\/(\d+)(\/.*)?$/;

/**
 * Whether the live value behind one planned field differs from the applied one. Envs are
 * matched by key (a field's index is the spec's, or the live side's for a removed env), so
 * a reordering is not drift.
 */
export function isDriftedField(diff: RawDiff, sides: { desired: EndpointConfig; live: EndpointConfig; applied: EndpointConfig }): boolean {
  const { path } = diff;
  const env = ENV_POINTER.exec(path);
  if (env) {
    const index = Number(env[1]);
    const key = (diff.after === undefined ? sides.live.envs[index] : sides.desired.envs[index])?.key;
    const live = sides.live.envs.find((candidate) => candidate.key === key);
    const applied = sides.applied.envs.find((candidate) => candidate.key === key);
    if (applied !== undefined && isUnknowable(applied.value)) return false;
    return !isDeepEqual(live, applied);
  }
  const applied = valueAtPointer(sides.applied, path);
  if (containsUnknowable(applied)) return false;
  return !isDeepEqual(valueAtPointer(sides.live, path), applied);
}

const containsUnknowable = (value: unknown): boolean =>
  isUnknowable(value) || (typeof value === 'object' && value !== null && Object.values(value).some(containsUnknowable));
