/**
 * Whether a lockfile entry's `applied` is an EndpointConfig: the keys and value types the
 * planner diffs against, so a damaged entry is an error rather than a plan that replaces
 * every field. Ranges and patterns are not checked: `import` records a live endpoint's own
 * configuration, which may hold values a spec may not (the API allows an empty name).
 */
import { isRecord } from '../common/record.js';

/** A problem with the value at `at` (a dotted path inside `applied`), or undefined. */
type Check = (value: unknown, at: string) => string | undefined;

const childPath = (at: string, key: string): string => (at === '' ? key : `${at}.${key}`);

const string: Check = (value, at) => (typeof value === 'string' ? undefined : `${at} must be a string`);
const integer: Check = (value, at) => (Number.isInteger(value) ? undefined : `${at} must be an integer`);

const oneOf =
  (...allowed: string[]): Check =>
  (value, at) =>
    typeof value === 'string' && allowed.includes(value) ? undefined : `${at} must be ${allowed.map((a) => `"${a}"`).join(' or ')}`;

const arrayOf =
  (item: Check): Check =>
  (value, at) => {
    if (!Array.isArray(value)) return `${at} must be an array`;
    for (const [index, element] of value.entries()) {
      const problem = item(element, `${at}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const object =
  (required: Record<string, Check>, optional: Record<string, Check> = {}): Check =>
  (value, at) => {
    if (!isRecord(value)) return `${at} must be an object`;
    const missing = Object.keys(required).find((key) => !Object.hasOwn(value, key));
    if (missing !== undefined) return `missing ${childPath(at, missing)}`;
    for (const [key, child] of Object.entries(value)) {
      const check = Object.hasOwn(required, key) ? required[key] : Object.hasOwn(optional, key) ? optional[key] : undefined;
      if (check === undefined) return `unknown key ${childPath(at, key)}`;
      const problem = check(child, childPath(at, key));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const networkMount = object({ type: oneOf('network'), id: string, mountPath: string });
const localMount = object({ type: oneOf('local', 'network'), size: integer, mountPath: string });
const volumeMount: Check = (value, at) => (isRecord(value) && value['type'] === 'network' ? networkMount : localMount)(value, at);

const endpointConfig = object(
  {
    name: string,
    workerConfig: object(
      { minNum: integer, maxNum: integer, freeTimeout: integer, maxConcurrent: integer, gpuNum: integer },
      { requestTimeout: integer },
    ),
    ports: arrayOf(object({ port: integer })),
    policy: object({ type: oneOf('queue', 'concurrency'), value: integer }),
    image: object({ image: string }, { authId: string, command: string }),
    products: arrayOf(object({ id: string })),
    rootfsSize: integer,
    volumeMounts: arrayOf(volumeMount),
    envs: arrayOf(object({ key: string, value: string })),
    healthy: object({ path: string }),
  },
  { appName: string, clusterID: string },
);

/** What is wrong with `applied` as an EndpointConfig (the first problem), or undefined. */
export const findAppliedProblem = (applied: unknown): string | undefined => endpointConfig(applied, '');
