import { isLoopbackHost } from '../common/api-origins.js';
import { UsageError } from '../common/errors.js';

const API_PREFIX = '/gpu-instance/openapi/v1';
const SETTING = 'the API base URL (PPIO_BASE_URL or `baseUrl` in the config)';

/**
 * Refuses a base URL the bearer key must not be sent to: anything but http(s), credentials or a
 * query in the URL, and plain `http://` to a host that is not loopback (the key would cross the
 * network in clear text).
 */
export function assertSafeBaseUrl(url: string): void {
  parseBaseUrl(url);
}

/** The absolute prefix every API path is appended to, e.g. `https://api.ppio.com/gpu-instance/openapi/v1`. */
export function resolveApiRoot(baseUrl: string): string {
  const parsed = parseBaseUrl(baseUrl);
  const path = parsed.pathname.replace(/\/+$/, '');
  return `${parsed.origin}${path}${API_PREFIX}`;
}

/** The host root the v2 paths hang off, e.g. `https://api.ppio.com`. */
export function resolveHostRoot(baseUrl: string): string {
  const parsed = parseBaseUrl(baseUrl);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function parseBaseUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UsageError(`${SETTING} is not a valid URL: ${describeValue(url)}; expected e.g. https://api.ppio.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`${SETTING} must start with https:// (got ${parsed.protocol}//)`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new UsageError(`${SETTING} must not contain credentials; the API key comes from PPIO_API_KEY`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new UsageError(`${SETTING} must not contain a query or a fragment: ${describeValue(url)}`);
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    throw new UsageError(
      `${SETTING} uses plain http:// to ${parsed.hostname}, which would send the API key unencrypted; ` +
        'use https://, or http:// only for a loopback host (localhost, 127.0.0.1, [::1])',
    );
  }
  return parsed;
}

function describeValue(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown);
}
