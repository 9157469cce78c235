/**
 * Which live endpoint is a spec's own: the one with the same appName (unique per account), or,
 * when the spec sets no appName, the one with the same name. The planner uses it to find what
 * to adopt, and apply to find a create that landed without an answer.
 */
import type { EndpointConfig } from '../schema/endpoint-config.js';

type Identity = Pick<EndpointConfig, 'name' | 'appName'>;

/** The field a spec is matched by. */
export const identityField = (wanted: Identity): 'appName' | 'name' => (wanted.appName === undefined ? 'name' : 'appName');

export const matchesIdentity = (wanted: Identity, live: EndpointConfig): boolean =>
  wanted.appName === undefined ? live.name === wanted.name : live.appName === wanted.appName;
