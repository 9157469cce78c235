/**
 * The one definition of an endpoint spec and of the project config.
 *
 * `npm run schemas` turns these into `schemas/*.schema.json` (committed, checked for
 * staleness by a test) and the TypeScript types below are derived from the same objects,
 * so the editor, the validator and the code can never disagree. Runtime code imports only
 * types from here (`import type`): TypeBox is a build-time dependency.
 * Field descriptions are taken from the PPIO v1 create-endpoint docs. Length limits count
 * UTF-16 code units, as the API does (the validator is built with ajv's `unicode: false`).
 *
 * `x-error` annotates a schema whose failures need their own words: for a keyword of that
 * schema, the rule schema/schema-errors.ts words the error by (and reports it under).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { ErrorRule } from './schema-errors.js';
import {
  APP_NAME_MAX_LENGTH,
  APP_NAME_PATTERN,
  ENV_VAR_NAME_PATTERN,
  ENVIRONMENT_NAME_PATTERN,
  PORT_DIGITS_PATTERN,
  RESERVED_PORTS,
  SCHEMA_BASE_URL,
  VARIABLE_NAME_PATTERN,
} from './constants.js';

/** Words an error of `keyword` (in the schema these options are given to) by `rule`. */
const errorRules = (rules: Partial<Record<string, ErrorRule>>) => ({ 'x-error': rules });

const count = (description: string) => Type.Integer({ minimum: 0, description });

const WorkerConfig = Type.Object(
  {
    minNum: count('Minimum number of workers; 0 scales to zero when idle.'),
    maxNum: count('Maximum number of workers.'),
    freeTimeout: count('Idle seconds before a worker is released.'),
    maxConcurrent: count('Concurrent requests per worker.'),
    gpuNum: count('GPUs per worker.'),
    requestTimeout: count('Request timeout in seconds.'),
  },
  {
    additionalProperties: false,
    description: 'Worker configuration. The allowed ranges come from GET /endpoint/limit (checked by `validate --remote`).',
  },
);

const Port = Type.Object(
  {
    port: Type.Union(
      [
        Type.Integer({ minimum: 1, maximum: 65535, not: { enum: [...RESERVED_PORTS] }, ...errorRules({ not: 'reserved-port' }) }),
        Type.String({
          pattern: PORT_DIGITS_PATTERN,
          not: { enum: RESERVED_PORTS.map(String) },
          ...errorRules({ pattern: 'port-digits', not: 'reserved-port' }),
        }),
      ],
      { description: 'HTTP port, 1–65535, as an integer or a digit string. 2222, 2223 and 2224 are reserved by the platform.' },
    ),
  },
  { additionalProperties: false },
);

const Policy = Type.Object(
  {
    type: Type.Union([Type.Literal('queue'), Type.Literal('concurrency')], {
      description:
        '`queue`: scale on how long requests wait in the queue (value = seconds). `concurrency`: scale on the number of queued requests (value = count).',
    }),
    value: count('Seconds of queue wait (queue) or number of queued requests (concurrency).'),
  },
  { additionalProperties: false, description: 'Auto-scaling policy.' },
);

const Image = Type.Object(
  {
    image: Type.String({ minLength: 1, maxLength: 511, description: 'Container image reference.' }),
    authId: Type.Optional(
      Type.String({ maxLength: 255, description: 'Private registry credential id (from GET /repository/auths). Not needed for public images.' }),
    ),
    command: Type.Optional(Type.String({ maxLength: 2047, description: 'Container start command.' })),
  },
  { additionalProperties: false, description: 'Container image.' },
);

const Product = Type.Object(
  { id: Type.String({ minLength: 1, description: 'Serverless product (GPU type) id, e.g. "1".' }) },
  { additionalProperties: false },
);

const VolumeMount = Type.Object(
  {
    type: Type.Union([Type.Literal('local'), Type.Literal('network')], {
      description: '`local`: disk on the worker (takes `size`). `network`: a network storage (takes `id`; needs `clusterID`).',
    }),
    size: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Local volume size in GB (the docs say: currently fixed at 30). Local volumes only.' }),
    ),
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Network storage id (storageId). Network volumes only.' })),
    mountPath: Type.String({
      pattern: '^/',
      maxLength: 255,
      description: 'Absolute mount path inside the container.',
      ...errorRules({ pattern: 'absolute-path' }),
    }),
  },
  {
    additionalProperties: false,
    allOf: [
      {
        if: { type: 'object', properties: { type: { const: 'local' } }, required: ['type'] },
        then: { required: ['size'], not: { required: ['id'] }, ...errorRules({ required: 'volume-shape', not: 'volume-shape' }) },
      },
      {
        if: { type: 'object', properties: { type: { const: 'network' } }, required: ['type'] },
        then: { required: ['id'], not: { required: ['size'] }, ...errorRules({ required: 'volume-shape', not: 'volume-shape' }) },
      },
    ],
  },
);

const Env = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 1024, description: 'Environment variable name.' }),
    value: Type.String({
      maxLength: 65536,
      description: 'Value. `${env:NAME}` is replaced from the environment at plan/apply time and treated as sensitive.',
    }),
  },
  { additionalProperties: false },
);

const Healthy = Type.Object(
  {
    path: Type.String({
      pattern: '^/',
      maxLength: 1024,
      title: 'health-check path',
      description: 'HTTP health-check path. Probe timing is fixed by the platform.',
      ...errorRules({ pattern: 'absolute-path' }),
    }),
  },
  { additionalProperties: false, description: 'Health check.' },
);

export const EndpointSpecSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors; ignored.' })),
    name: Type.String({ minLength: 1, maxLength: 220, description: 'Endpoint name and identity key in this project (unique).' }),
    appName: Type.Optional(
      Type.String({
        pattern: APP_NAME_PATTERN,
        ...errorRules({ pattern: 'app-name' }),
        // The URL host is `{id}-{appName}`: with a 16-character id, a longer appName makes a DNS
        // label over 63 characters (the API itself would take up to 255).
        maxLength: APP_NAME_MAX_LENGTH,
        description:
          'Part of the endpoint URL: lowercase letters, digits and hyphens, at most 46 (the URL host `{id}-{appName}` is one DNS label). Unique per account; cannot be changed after creation (a change replaces the endpoint).',
      }),
    ),
    workerConfig: WorkerConfig,
    ports: Type.Array(Port, {
      minItems: 1,
      maxItems: 1,
      description: 'Exactly one HTTP port.',
      ...errorRules({ minItems: 'port-count', maxItems: 'port-count' }),
    }),
    policy: Policy,
    image: Image,
    products: Type.Array(Product, { minItems: 1, description: 'Serverless product (GPU type). Changing it replaces the endpoint.' }),
    rootfsSize: Type.Integer({
      minimum: 1,
      description: 'System disk size in GB (the docs say: currently fixed at 100). Changing it replaces the endpoint.',
    }),
    volumeMounts: Type.Array(VolumeMount, { description: 'Volumes; may be empty.' }),
    clusterID: Type.Optional(
      Type.String({ minLength: 1, maxLength: 255, description: "Cluster id; required with a network volume and must equal the storage's cluster." }),
    ),
    envs: Type.Optional(Type.Array(Env, { description: 'Environment variables.' })),
    healthy: Healthy,
  },
  {
    $id: `${SCHEMA_BASE_URL}/endpoint.schema.json`,
    title: 'PPIO serverless endpoint',
    description: "One PPIO serverless endpoint, as the v1 create API's `endpoint` object, with `name` required.",
    additionalProperties: false,
    if: {
      type: 'object',
      properties: { volumeMounts: { type: 'array', contains: { type: 'object', properties: { type: { const: 'network' } }, required: ['type'] } } },
      required: ['volumeMounts'],
    },
    then: { required: ['clusterID'], ...errorRules({ required: 'cluster-required' }) },
  },
);

const Variables = Type.Record(Type.String({ pattern: VARIABLE_NAME_PATTERN }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
  additionalProperties: false,
  ...errorRules({ additionalProperties: 'variable-name' }),
  description:
    "Non-secret variables for `${var:NAME}` in specs (NAME: letters, digits, _). Shown in plans and recorded in the lockfile. `--var NAME=VALUE` and PPIO_VAR_NAME win over an environment's `vars`, which win over these.",
});

const Globs = (description: string) => Type.Array(Type.String({ minLength: 1 }), { description });

const BaseUrl = (description: string) =>
  Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', ...errorRules({ format: 'url', pattern: 'url' }), description }));

const Environment = Type.Object(
  {
    lockfile: Type.Optional(
      Type.String({ minLength: 1, description: 'Lockfile path, relative to the config file. Default: ppio.<environment>.lock.json.' }),
    ),
    baseUrl: BaseUrl(
      'API base URL for this environment (default: the top-level baseUrl): an official API origin or a loopback address, as for the top-level baseUrl. The PPIO_BASE_URL environment variable wins.',
    ),
    apiKeyEnv: Type.Optional(
      Type.String({
        pattern: ENV_VAR_NAME_PATTERN,
        ...errorRules({ pattern: 'env-var-name' }),
        description: "Name of the environment variable holding this environment's API key. Default: PPIO_API_KEY.",
      }),
    ),
    maxHourlyCost: Type.Optional(
      Type.Number({ minimum: 0, description: 'Hourly budget of this environment (default: the top-level maxHourlyCost). `--max-hourly-cost` wins.' }),
    ),
    vars: Type.Optional(Variables),
    patches: Type.Optional(
      Globs(
        'Globs of patch files, relative to the config file: partial specs matched by `name`, merged over the base spec as a JSON Merge Patch (RFC 7386).',
      ),
    ),
    endpoints: Type.Optional(
      Type.Object(
        {
          include: Type.Optional(Globs('Only the specs whose name matches one of these globs.')),
          exclude: Type.Optional(Globs('Leave out the specs whose name matches one of these globs.')),
        },
        { additionalProperties: false, description: 'The subset of the specs this environment deploys, by name. Default: all.' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ProjectConfigSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors; ignored.' })),
    specs: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Globs of endpoint spec files, relative to the config file. Default: ["endpoints/**/*.{yaml,yml,json}"].',
      }),
    ),
    lockfile: Type.Optional(Type.String({ minLength: 1, description: 'Lockfile path, relative to the config file. Default: ppio.lock.json.' })),
    baseUrl: BaseUrl(
      'API base URL: https://api.ppio.com (default), https://api.ppinfra.com, https://api.novita.ai, or a loopback address (an emulator). Only the PPIO_BASE_URL environment variable may name another host, and it wins over this.',
    ),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Parallel API operations during apply. Default: 8.' })),
    maxHourlyCost: Type.Optional(
      Type.Number({
        minimum: 0,
        description:
          'Hourly budget in the catalogue currency: plan fails, and apply refuses before any change, when the ceiling after the plan (every managed endpoint at maxNum workers) exceeds it. `--max-hourly-cost` wins.',
      }),
    ),
    vars: Type.Optional(Variables),
    environments: Type.Optional(
      Type.Record(Type.String({ pattern: ENVIRONMENT_NAME_PATTERN }), Environment, {
        additionalProperties: false,
        ...errorRules({ additionalProperties: 'environment-name' }),
        description:
          'Named deploy targets (e.g. staging, prod) of the same specs, each with its own lockfile, API key variable, variables and patches. When set, plan and apply need `--env NAME` or PPIO_ENV.',
      }),
    ),
  },
  {
    $id: `${SCHEMA_BASE_URL}/config.schema.json`,
    title: 'ppio-deploy project config',
    description: 'ppio.config.yaml (or .ppiorc*, or the `ppio` key of package.json).',
    additionalProperties: false,
  },
);

/** An endpoint spec exactly as the user wrote it (after schema validation). */
export type Spec = Static<typeof EndpointSpecSchema>;
export type VolumeMountSpec = Spec['volumeMounts'][number];
export type ProjectConfigFile = Static<typeof ProjectConfigSchema>;
export type EnvironmentFile = Static<typeof Environment>;
export type VariableValue = Static<typeof Variables>[string];
