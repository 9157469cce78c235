/**
 * What `ppio-deploy init` writes: a config, one example endpoint (valid as written), the
 * GitHub Actions workflow and, when ppio-deploy is not installed in the project, the JSON
 * Schemas the editor modelines point at. Pure: the caller reads the schemas and writes.
 */
import { GITHUB_WORKFLOW } from './starter-workflow.js';

export interface StarterFile {
  /** Relative to the project folder, forward slashes. */
  path: string;
  content: string;
}

export interface StarterOptions {
  /**
   * Whether ppio-deploy is installed in the project's node_modules: then the modelines point
   * at its schemas (offline, matching the installed version); else at copies init writes.
   */
  installedLocally: boolean;
  /** The shipped schemas' text: written under `.ppio-deploy/` when not installed locally. */
  schemas: { endpoint: string; config: string };
}

export const STARTER_PATHS = ['ppio.config.yaml', 'endpoints/example.yaml', '.github/workflows/ppio-deploy.yaml'] as const;
/** Where init writes the schemas when ppio-deploy is not installed in the project. */
const WRITTEN_SCHEMA_FOLDER = '.ppio-deploy';

/**
 * Where an editor finds a schema from a file in `folder` (relative to the project root, '' for
 * the root): always a relative path that resolves on the user's machine, never a URL.
 */
function schemaReference(name: string, folder: string, installedLocally: boolean): string {
  const toRoot = folder === '' ? './' : '../'.repeat(folder.split('/').length);
  return installedLocally ? `${toRoot}node_modules/ppio-deploy/schemas/${name}` : `${toRoot}${WRITTEN_SCHEMA_FOLDER}/${name}`;
}

/** The `yaml-language-server` modeline of a spec file in `folder`: `init` and `export` write the same one. */
export const endpointModeline = (folder: string, installedLocally: boolean): string =>
  `# yaml-language-server: $schema=${schemaReference('endpoint.schema.json', folder, installedLocally)}`;

export function starterFiles(options: StarterOptions): StarterFile[] {
  const files: StarterFile[] = [
    { path: STARTER_PATHS[0], content: configFile(schemaReference('config.schema.json', '', options.installedLocally)) },
    { path: STARTER_PATHS[1], content: exampleEndpoint(endpointModeline('endpoints', options.installedLocally)) },
    { path: STARTER_PATHS[2], content: GITHUB_WORKFLOW },
  ];
  if (!options.installedLocally) {
    files.push(
      { path: `${WRITTEN_SCHEMA_FOLDER}/endpoint.schema.json`, content: options.schemas.endpoint },
      { path: `${WRITTEN_SCHEMA_FOLDER}/config.schema.json`, content: options.schemas.config },
    );
  }
  return files;
}

const configFile = (schema: string) => `# yaml-language-server: $schema=${schema}
# ppio-deploy project config. Every field is optional; these are the defaults.
specs:
  - "endpoints/**/*.{yaml,yml,json}"
lockfile: ppio.lock.json
# baseUrl: https://api.ppio.com   # the PPIO_BASE_URL environment variable wins
# concurrency: 8                  # parallel API operations during apply
`;

const exampleEndpoint = (modeline: string) => `${modeline}
# One PPIO serverless endpoint. The fields are those of the v1 create-endpoint API.
name: example                 # identity of this endpoint in the project (unique)
appName: example              # part of the endpoint URL; cannot change after creation
image:
  image: vllm/vllm-openai:v0.6.3
  command: python3 -m vllm.entrypoints.openai.api_server --model Qwen/Qwen2.5-0.5B-Instruct --port 8000
workerConfig:
  minNum: 0                   # scale to zero when idle
  maxNum: 2
  freeTimeout: 300            # idle seconds before a worker is released
  maxConcurrent: 4            # concurrent requests per worker
  gpuNum: 1
  requestTimeout: 300         # seconds
ports:
  - port: 8000
policy:
  type: queue                 # scale on queue wait in seconds (or \`concurrency\`: queued requests)
  value: 30
products:
  - id: "1"                   # serverless GPU product id, from the PPIO console
rootfsSize: 100
volumeMounts:
  - type: local
    size: 30
    mountPath: /workspace
envs:
  - key: LOG_LEVEL
    value: info
  # Secrets come from the environment at plan/apply time, never from this file:
  # - key: HF_TOKEN
  #   value: "\${env:HF_TOKEN}"
healthy:
  path: /health
`;
