/**
 * Drift: a live endpoint that no longer matches what the lockfile says was applied, i.e. it
 * was changed outside ppio-deploy (the console, curl, another tool).
 */
import { valueAtPointer } from '../common/json-pointer.js';
import { isTemplated } from '../common/template.js';
import { UNRECORDED_VALUE } from '../lockfile/types.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import { configDifferences } from './config-differences.js';

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

const isUnknowable = (recorded: unknown): boolean =>
  typeof recorded === 'string' && (recorded === UNRECORDED_VALUE || isTemplated(recorded));
