import type { EndpointConfig } from '../schema/endpoint-config.js';
import { diffValues, type RawDiff } from './diff.js';

/**
 * Optional fields the platform fills in when the spec leaves them out (appName defaults to
 * the endpoint id; requestTimeout to a service default; clusterID to where the endpoint was
 * placed). Absent from the spec, they mean "whatever the platform chose" and are not
 * compared, or every plan would show a change; an update sends their live values back.
 */
const PLATFORM_DEFAULTED_PATHS: ReadonlySet<string> = new Set(['/appName', '/workerConfig/requestTimeout', '/clusterID']);

const isPlatformDefault = (diff: RawDiff): boolean => diff.after === undefined && PLATFORM_DEFAULTED_PATHS.has(diff.path);

/** Arrays whose elements are matched by a key, not by position: reordering envs changes nothing. */
const KEYED_ARRAYS: ReadonlyMap<string, string> = new Map([['/envs', 'key']]);

/**
 * The differences from `current` to `desired` that need a change: none for a field the spec
 * leaves to the platform. An env is matched by key: a changed one is reported at the
 * spec's index, an added one at the spec's index, a removed one at the current side's index.
 */
export function configDifferences(desired: EndpointConfig, current: EndpointConfig | undefined): RawDiff[] {
  return diffValues(current, desired, '', KEYED_ARRAYS).filter((diff) => !isPlatformDefault(diff));
}

/** Whether a live endpoint already has the desired configuration, judged exactly as the planner judges it. */
export const configMatches = (desired: EndpointConfig, live: EndpointConfig): boolean => configDifferences(desired, live).length === 0;
