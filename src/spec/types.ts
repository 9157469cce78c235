import type { Diagnostic, LocatedSource, ParsedSource, SourcePosition } from '../common/diagnostic.js';
import type { Spec } from '../schema/definitions.js';
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

/** One parsed document of a spec file, before schema validation, with its source map. */
export interface SpecDocument extends ParsedSource {
  absolutePath: string;
  /** Index of the document in its file (YAML `---` documents, or JSON array items). */
  index: number;
  /** The parsed plain value (aliases expanded, no prototype-polluting keys). */
  value: unknown;
  /** Set when an environment's patches were merged in: the patch that wrote the value at `pointer`. */
  sourceAt?(pointer: string): LocatedSource | undefined;
}

/** A spec document that passed schema validation, paired with its source. */
export interface ValidSpec {
  document: SpecDocument;
  spec: Spec;
}

export interface LoadSpecsOptions {
  /** Folder the patterns are relative to (the config file's folder, else the cwd). */
  rootDir: string;
  /** Globs (tinyglobby syntax); a leading `!` excludes. */
  patterns: string[];
  /** Working directory: `file` in documents and diagnostics is relative to it. */
  cwd: string;
  /** Spec files outside this folder are not read (default rootDir): the repository root. */
  projectRoot?: string;
  /** Absolute path of the config file, if any: a pattern that matches nothing is reported there. */
  configFile?: string;
  /**
   * Where `specs[index]` is written in the config file. Absent when the patterns are the
   * defaults (not written in any config).
   */
  locatePattern?: (index: number) => SourcePosition;
  /** Where the patterns are in the config, as a JSON pointer. Default: `/specs`. */
  patternsPointer?: string;
  /** What the files are, as messages name them. Default: `spec`. */
  fileKind?: 'spec' | 'patch';
}

export interface LoadSpecsResult {
  documents: SpecDocument[];
  /** Spec files found, relative to the cwd, sorted. */
  files: string[];
  diagnostics: Diagnostic[];
}

export interface ParseSpecResult {
  documents: SpecDocument[];
  diagnostics: Diagnostic[];
}
