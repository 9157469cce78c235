/**
 * What `ppio-deploy init` writes: a config, one example endpoint (valid as written) and a
 * short GitHub Actions workflow. Pure: the caller decides where the schemas are and writes.
 */
import { SCHEMA_BASE_URL } from './constants.js';

export interface StarterFile {
  /** Relative to the project folder, forward slashes. */
  path: string;
  content: string;
}

export interface StarterOptions {
  /** Version of ppio-deploy the workflow installs (the one running init). */
  version: string;
  /**
   * Whether ppio-deploy is installed in the project's node_modules: then the modelines point
   * at its schemas (offline, matching the installed version); else at the published URLs.
   */
  installedLocally: boolean;
}

export const STARTER_PATHS = ['ppio.config.yaml', 'endpoints/example.yaml', '.github/workflows/ppio-deploy.yaml'] as const;

/** Where an editor finds a schema from a file in `folder` (relative to the project root, '' for the root). */
function schemaReference(name: string, folder: string, installedLocally: boolean): string {
  const toRoot = folder === '' ? './' : '../'.repeat(folder.split('/').length);
  return installedLocally ? `${toRoot}node_modules/ppio-deploy/schemas/${name}` : `${SCHEMA_BASE_URL}/${name}`;
}

/** The `yaml-language-server` modeline of a spec file in `folder`: `init` and `export` write the same one. */
export const endpointModeline = (folder: string, installedLocally: boolean): string =>
  `# yaml-language-server: $schema=${schemaReference('endpoint.schema.json', folder, installedLocally)}`;

export function starterFiles(options: StarterOptions): StarterFile[] {
  return [
    { path: STARTER_PATHS[0], content: configFile(schemaReference('config.schema.json', '', options.installedLocally)) },
    { path: STARTER_PATHS[1], content: exampleEndpoint(endpointModeline('endpoints', options.installedLocally)) },
    { path: STARTER_PATHS[2], content: workflow(options.version) },
  ];
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

const workflow = (version: string) => `# Validate and plan on pull requests; apply on main and commit the lockfile.
# Needs the repository secret PPIO_API_KEY. Deletes are refused unless you add --allow-delete.
name: ppio-deploy

on:
  pull_request:
  push:
    branches: [main]

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npx --yes ppio-deploy@${version} validate --format github
      # plan also writes its markdown view to the job summary ($GITHUB_STEP_SUMMARY).
      - run: npx --yes ppio-deploy@${version} plan
        env:
          PPIO_API_KEY: \${{ secrets.PPIO_API_KEY }}

  apply:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    concurrency:
      group: ppio-deploy-apply
      cancel-in-progress: false
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npx --yes ppio-deploy@${version} validate --format github
      - run: npx --yes ppio-deploy@${version} apply --auto-approve --wait
        env:
          PPIO_API_KEY: \${{ secrets.PPIO_API_KEY }}
      - name: Commit the lockfile
        if: always()
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
          git add ppio.lock.json
          if git diff --cached --quiet; then exit 0; fi
          git commit -m "ppio-deploy: record applied endpoints"
          git push
`;
