import type { EndpointConfig } from '../schema/endpoint-config.js';

/**
 * Whether a live endpoint already has the desired configuration. Fields the spec leaves to
 * the platform (appName defaults to the id, requestTimeout to a service default) are not
 * compared when the spec omits them, as the planner does.
 */
export function configMatches(desired: EndpointConfig, live: EndpointConfig): boolean {
  const comparable = structuredClone(live);
  if (desired.appName === undefined) delete comparable.appName;
  if (desired.workerConfig.requestTimeout === undefined) delete comparable.workerConfig.requestTimeout;
  return canonicalJson(desired) === canonicalJson(comparable);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
