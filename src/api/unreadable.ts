import { ApiError } from '../common/errors.js';
import { MALFORMED_RESPONSE } from './response-reader.js';
import type { LiveEndpoint } from './types.js';

/**
 * An endpoint listed in a shape that could not be read may stay in the list only while
 * nothing would take it over: a spec with its appName (or, without an appName, its name)
 * would adopt it and compare it with a placeholder. Throws naming both.
 */
export function assertUnreadableUnclaimed(live: readonly LiveEndpoint[], wanted: readonly { name: string; appName?: string }[]): void {
  const byAppName = new Map(wanted.filter((spec) => spec.appName !== undefined).map((spec) => [spec.appName, spec.name]));
  const byName = new Map(wanted.filter((spec) => spec.appName === undefined).map((spec) => [spec.name, spec.name]));
  for (const endpoint of live) {
    if (endpoint.unreadable === undefined) continue;
    const { appName, name } = endpoint.config;
    const spec = (appName !== undefined ? byAppName.get(appName) : undefined) ?? byName.get(name);
    if (spec === undefined) continue;
    throw new ApiError(
      `live endpoint ${endpoint.id} has the ${byAppName.has(appName) ? 'appName' : 'name'} of spec "${spec}", but its shape could not be read, so it cannot be adopted safely: ${endpoint.unreadable}`,
      undefined,
      MALFORMED_RESPONSE,
      'list endpoints',
    );
  }
}
