import type { EndpointState } from '../common/live-state.js';
import type { EndpointConfig } from './endpoint-config.js';

export interface WorkerInfo {
  id: string;
  state: EndpointState;
  healthy: boolean;
}

/** A live endpoint, normalised: `config` has the spec's shape, platform fields kept apart. */
export interface LiveEndpoint {
  id: string;
  url: string;
  state: EndpointState;
  config: EndpointConfig;
  workers: WorkerInfo[];
  /**
   * Set when a listed endpoint's shape could not be read (one made by another tool, in a shape
   * the v1 docs do not describe): why. Its `config` is then a placeholder with only `name` and
   * `appName`, and must never be compared with a spec.
   */
  unreadable?: string;
}
