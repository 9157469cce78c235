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

/** A 1-based location in a source file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** One parsed document of a spec file, before schema validation, with its source map. */
export interface SpecDocument {
  /** Path relative to the working directory (forward slashes), as diagnostics print it. */
  file: string;
  absolutePath: string;
  /** Index of the document in its file (YAML `---` documents, or JSON array items). */
  index: number;
  /** The parsed plain value (aliases expanded, no prototype-polluting keys). */
  value: unknown;
  /**
   * Where the node at a JSON pointer starts: its key (`'key'`, for unknown-key errors) or its
   * value (default). A pointer that does not exist resolves to its nearest existing ancestor.
   */
  locate(pointer: string, target?: 'key' | 'value'): SourcePosition;
}
