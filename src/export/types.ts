import type { EndpointConfig } from '../schema/endpoint-config.js';

/** One live endpoint turned into a spec. */
export interface ExportedEndpoint {
  /** The spec name (the live name when it is usable, else its appName or id). */
  name: string;
  id: string;
  url: string;
  /** Where the spec goes, relative to the project root. */
  file: string;
  /**
   * The spec document to write: the live configuration with every secret-looking env value
   * replaced by `${env:VARIABLE}` and every literal `${` written as `$${`.
   */
  spec: EndpointConfig;
  /** What the lockfile records as applied: the live configuration, secrets kept as their templates. */
  applied: EndpointConfig;
}

/** An environment variable the user must set before planning: it holds a secret the file does not. */
export interface SecretVariable {
  variable: string;
  /** The env key it fills, and the endpoints that use it. */
  key: string;
  endpoints: string[];
}

/** A live endpoint `export` left out (only when no ID was given), and why. */
export interface SkippedEndpoint {
  id: string;
  name: string;
  reason: string;
}

export interface ExportPlan {
  endpoints: ExportedEndpoint[];
  variables: SecretVariable[];
  skipped: SkippedEndpoint[];
}
