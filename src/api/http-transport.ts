import { setMaxListeners } from 'node:events';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { Got, RequestError, Response, RetryObject } from 'got';
import { ApiError } from '../common/errors.js';
import { createSecretMask } from '../common/secrets.js';
import { errorFromNetwork, errorFromStatus, type NetworkFailure } from './error-mapping.js';
import { MALFORMED_RESPONSE } from './response-reader.js';
import { computeRetryDelay, parseRetryAfter, RETRYABLE_STATUSES, type AttemptFailure } from './retry-policy.js';
import type { ClientRetry, ClientTimeouts } from './types.js';

export interface TransportSettings {
  /** Absolute prefix of every path, e.g. `https://api.ppio.com/gpu-instance/openapi/v1`. */
  apiRoot: string;
  apiKey: string;
  userAgent: string;
  timeouts: ClientTimeouts;
  retry: ClientRetry;
}

export interface ApiCall {
  method: 'GET' | 'POST';
  /** Relative to the API root, without a leading slash: `endpoint/create`. */
  path: string;
  searchParams?: Record<string, string | number>;
  json?: unknown;
  /** Shown in errors: `update endpoint 2f9f…`. */
  operation: string;
  /** Only idempotent calls may be retried; a create never is (its response may have been lost). */
  retry: boolean;
}

export interface Transport {
  /** The parsed JSON body of a 2xx response (`{}` when empty), or throws ApiError. */
  send(call: ApiCall): Promise<unknown>;
  /** Starts loading the HTTP stack now, so the first request does not wait for it. */
  prepare(): void;
  /** Ends every request, in flight or sent later, and closes the kept-alive connections. */
  close(): void;
}

/**
 * The largest response body read, before and after decompression. A page of 100 endpoints
 * is well under 1 MB; a server that sends more (an endless body, a gzip bomb) is cut off
 * with a clear error instead of filling memory.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/** A body too large to read, or compressed in a way that cannot be undone. */
class UnreadableResponse extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Free keep-alive sockets are dropped before a typical server's 5 s idle timeout closes them under us. */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

export function createTransport(settings: TransportSettings): Transport {
  let agents: Agents | undefined;
  let client: Promise<Got> | undefined;
  // The HTTP stack (got ~60 ms, node:http and node:https ~15 ms, node:zlib) loads on the first
  // request, not when the CLI starts: validate never makes one.
  const loadClient = () =>
    (client ??= Promise.all([import('got'), createAgents(), import('node:zlib')]).then(([{ got }, created, zlib]) => {
      agents = created;
      return configureGot(got, settings, created, zlib);
    }));
  const host = new URL(settings.apiRoot).host;
  // close() ends every request of this client, in flight or still to be sent. Each request
  // listens on the signal while it runs; a paged list or a large apply has dozens at once.
  const closing = new AbortController();
  setMaxListeners(0, closing.signal);

  async function send(call: ApiCall): Promise<unknown> {
    const got = await loadClient();
    let tooLarge = false;
    const request = got(call.path, {
      method: call.method,
      ...(call.searchParams ? { searchParams: call.searchParams } : {}),
      ...(call.json !== undefined ? { json: call.json } : {}),
      retry: { limit: call.retry ? settings.retry.limit : 0 },
      signal: closing.signal,
    });
    request.on('downloadProgress', ({ transferred }: { transferred: number }) => {
      if (transferred <= MAX_RESPONSE_BYTES || tooLarge) return;
      tooLarge = true;
      request.cancel(); // ends the retries too: a server that sent 32 MiB is not asked again
    });
    let response: Response<string>;
    try {
      response = await request;
    } catch (error) {
      throw toApiError(error, call.operation, tooLarge);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return parseSuccessBody(response.body, response.statusCode, call.operation);
    const attempts = response.retryCount + 1;
    throw redact(errorFromStatus(call.operation, response.statusCode, response.body, attempts, response.statusMessage), settings.apiKey);
  }

  function toApiError(error: unknown, operation: string, tooLarge: boolean): ApiError {
    if (tooLarge) {
      const megabytes = MAX_RESPONSE_BYTES / 1024 / 1024;
      return new ApiError(
        `${operation}: the PPIO API at ${host} sent a response larger than ${megabytes} MiB; it was cut off`,
        undefined,
        RESPONSE_TOO_LARGE,
        operation,
      );
    }
    const cause = error instanceof Error ? error.cause : undefined;
    if (cause instanceof UnreadableResponse) return new ApiError(`${operation}: ${cause.message}`, undefined, cause.reason, operation);
    const failure = describeNetworkError(error, host, settings.timeouts);
    return redact(errorFromNetwork(operation, failure, attemptsOf(error)), settings.apiKey);
  }

  return {
    send,
    prepare() {
      loadClient().catch(() => undefined); // a failure resurfaces on the first send
    },
    close() {
      closing.abort();
      agents?.http.destroy();
      agents?.https.destroy();
    },
  };
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** One keep-alive agent per protocol, shared by every request of the client (a paged list reuses connections). */
async function createAgents(): Promise<Agents> {
  const [http, https] = await Promise.all([import('node:http'), import('node:https')]);
  return {
    http: new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
    https: new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS }),
  };
}

function configureGot(got: Got, settings: TransportSettings, agent: Agents, zlib: Zlib): Got {
  return got.extend({
    prefixUrl: settings.apiRoot,
    headers: {
      authorization: `Bearer ${settings.apiKey}`,
      'user-agent': settings.userAgent,
      accept: 'application/json',
      // Every observed client sends it, on GET too.
      'content-type': 'application/json',
      'accept-encoding': 'gzip, deflate, br',
    },
    timeout: {
      connect: settings.timeouts.connectMs,
      secureConnect: settings.timeouts.connectMs,
      response: settings.timeouts.responseMs,
      request: settings.timeouts.requestMs,
    },
    // got retries. The limit is set per call (0 for a create); methods and statusCodes repeat
    // the policy to got, but with enforceRetryRules off retryDelay alone decides, so got's
    // errorCodes list (not our network rule) and its Retry-After handling never apply.
    retry: {
      limit: 0,
      methods: ['GET', 'POST'],
      statusCodes: [...RETRYABLE_STATUSES],
      calculateDelay: retryDelay(settings.retry),
      enforceRetryRules: false,
    },
    // Error statuses are still retried; the last response is returned instead of thrown.
    throwHttpErrors: false,
    // A redirect could carry the bearer key to another host: treat it as an error instead.
    followRedirect: false,
    // Decompressed by decompressBody, with a cap on the output.
    decompress: false,
    agent,
    hooks: { afterResponse: [(response) => decompressBody(response, zlib)], beforeError: [hideAuthorization] },
  });
}

/**
 * got's errors hold the request options, headers included: `util.inspect(err)` would print the
 * bearer key. We never rethrow got's errors, and this hook blanks the header in case one is
 * ever logged.
 */
export function hideAuthorization(error: RequestError): RequestError {
  const headers = error.options?.headers;
  if (headers && 'authorization' in headers) headers['authorization'] = '[redacted]';
  return error;
}

/**
 * got asks this after every failed attempt, before its own rules (`enforceRetryRules: false`);
 * 0 ends the retries. The limit is the call's (0 for a create).
 */
function retryDelay(retry: ClientRetry): (attempt: RetryObject) => number {
  return ({ attemptCount, retryOptions, error }) => {
    const failure = attemptFailure(error);
    const delay = failure && computeRetryDelay(failure, attemptCount, { ...retry, limit: retryOptions.limit });
    if (delay === undefined) return 0;
    return Math.max(delay, 1); // got reads 0 as "give up"; a Retry-After of 0 means "now"
  };
}

function attemptFailure(error: RequestError): AttemptFailure | undefined {
  if (error.cause instanceof UnreadableResponse) return undefined;
  if (error.name === 'HTTPError' && error.response) {
    return { kind: 'status', status: error.response.statusCode, retryAfterMs: parseRetryAfter(error.response.headers['retry-after']) };
  }
  return { kind: 'network', code: error.code };
}

/** A failed request's attempts, the last included (got numbers its retries from 0). */
function attemptsOf(error: unknown): number {
  const retryCount = (error as Partial<RequestError>).request?.retryCount;
  return typeof retryCount === 'number' ? retryCount + 1 : 1;
}

/**
 * Every response, retried or not, passes here: a compressed body becomes text with a cap on
 * its size. What cannot be read ends the call (see attemptFailure), as a retry would not help.
 */
function decompressBody(response: Response, zlib: Zlib): Response {
  const encoding = response.headers['content-encoding'];
  if (encoding !== undefined) response.body = decodeBody(response.rawBody, encoding, zlib);
  return response;
}

type Zlib = typeof import('node:zlib');

/** The body as text, decompressed with a cap on the output so a small gzip bomb cannot fill memory. */
function decodeBody(body: Buffer, encoding: string | undefined, zlib: Zlib): string {
  const options = { maxOutputLength: MAX_DECOMPRESSED_BYTES };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return zlib.gunzipSync(body, options).toString('utf8');
      case 'deflate':
        return zlib.inflateSync(body, options).toString('utf8');
      case 'br':
        return zlib.brotliDecompressSync(body, options).toString('utf8');
      default:
        return body.toString('utf8');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnreadableResponse(
        `a response decompresses to more than ${MAX_DECOMPRESSED_BYTES / 1024 / 1024} MiB; it was refused`,
        RESPONSE_TOO_LARGE,
      );
    }
    throw new UnreadableResponse(`a ${encoding} response could not be decompressed (${(error as Error).message})`, MALFORMED_RESPONSE);
  }
}

function describeNetworkError(error: unknown, host: string, timeouts: ClientTimeouts): NetworkFailure {
  const record = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; name?: unknown; event?: unknown };
  const code = typeof record.code === 'string' ? record.code : 'UNKNOWN';
  const phase = record.name === 'TimeoutError' && typeof record.event === 'string' ? record.event : undefined;
  return { code, timeoutPhase: phase, timeoutMs: phase === undefined ? undefined : timeoutForPhase(phase, timeouts), host };
}

function timeoutForPhase(phase: string, timeouts: ClientTimeouts): number | undefined {
  if (phase === 'connect' || phase === 'secureConnect') return timeouts.connectMs;
  if (phase === 'response') return timeouts.responseMs;
  if (phase === 'request') return timeouts.requestMs;
  return undefined;
}

/** update and delete answer with an undocumented body: empty reads as `{}`. */
function parseSuccessBody(text: string, status: number, operation: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(`${operation}: the PPIO API answered HTTP ${status} with a body that is not JSON`, status, MALFORMED_RESPONSE, operation);
  }
}

/**
 * Defence in depth: no message we build contains the key, but a server could echo it back.
 * The CLI's output is masked too; this keeps the key out of the error object itself.
 */
function redact(error: ApiError, apiKey: string): ApiError {
  const mask = createSecretMask();
  mask.add([apiKey]);
  const message = mask.mask(error.message);
  return message === error.message ? error : new ApiError(message, error.status, error.reason, error.operation, error.responseLost);
}
