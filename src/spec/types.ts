import type { EndpointConfig } from '../schema/endpoint-config.js';

/** One endpoint as the project wants it, ready for planning. */
export interface DesiredEndpoint {
  /** The spec's `name`: the identity key in the project and in the lockfile. */
  name: string;
  /** Spec file, relative to the working directory (forward slashes). */
  source: string;
  /** Resolved config with `${env:…}` replaced. Contains secrets: only ever sent to the API. */
  config: EndpointConfig;
  /**
   * The same config with each sensitive value left as its `${env:…}` template. This is
   * what the lockfile's `applied` and a saved plan may contain.
   */
  recorded: EndpointConfig;
  /** JSON pointers (into EndpointConfig) of values that came from interpolation. */
  sensitivePaths: string[];
}
