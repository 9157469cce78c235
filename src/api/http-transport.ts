import type { Agent as HttpAgent } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Got, RequestError } from 'got';
import { ApiError } from '../common/errors.js';
import { createSecretMask } from '../common/secrets.js';
import { errorFromNetwork, errorFromStatus, type NetworkFailure } from './error-mapping.js';
import { MALFORMED_RESPONSE } from './response-reader.js';
import { computeRetryDelay, parseRetryAfter, type AttemptFailure } from './retry-policy.js';
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
  close(): void;
}

type AttemptOutcome =
  | { kind: 'response'; status: number; text: string; retryAfter: string | undefined }
  | { kind: 'network'; failure: NetworkFailure };

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
  // got (~60 ms) and node:https (~12 ms) load on the first request, not when the CLI starts.
  const loadClient = () =>
    (client ??= Promise.all([import('got'), createAgents()]).then(([{ got }, created]) => {
      agents = created;
      return configureGot(got, settings, created);
    }));
  const host = new URL(settings.apiRoot).host;

  async function send(call: ApiCall): Promise<unknown> {
    const got = await loadClient();
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await attemptOnce(got, call, host, settings.timeouts).catch((error: unknown) => {
        if (error instanceof UnreadableResponse) throw new ApiError(`${call.operation}: ${error.message}`, undefined, error.reason, call.operation);
        throw error;
      });
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        return parseSuccessBody(outcome.text, outcome.status, call.operation);
      }
      const delay = call.retry ? computeRetryDelay(toAttemptFailure(outcome), attempt, settings.retry) : undefined;
      if (delay === undefined) throw redact(toApiError(outcome, call.operation, attempt), settings.apiKey);
      await sleep(delay);
    }
  }

  return {
    send,
    prepare() {
      loadClient().catch(() => undefined); // a failure resurfaces on the first send
    },
    close() {
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

function configureGot(got: Got, settings: TransportSettings, agent: Agents): Got {
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
    // Retries are ours (per call: never for create), so got never retries on its own.
    retry: { limit: 0 },
    throwHttpErrors: false,
    // A redirect could carry the bearer key to another host: treat it as an error instead.
    followRedirect: false,
    // Decompressed here, with a cap on the output (see decodeBody).
    decompress: false,
    responseType: 'buffer',
    agent,
    hooks: { beforeError: [hideAuthorization] },
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

async function attemptOnce(got: Got, call: ApiCall, host: string, timeouts: ClientTimeouts): Promise<AttemptOutcome> {
  let tooLarge = false;
  const request = got(call.path, {
    method: call.method,
    responseType: 'buffer',
    ...(call.searchParams ? { searchParams: call.searchParams } : {}),
    ...(call.json !== undefined ? { json: call.json } : {}),
  });
  request.on('downloadProgress', ({ transferred }: { transferred: number }) => {
    if (transferred <= MAX_RESPONSE_BYTES || tooLarge) return;
    tooLarge = true;
    request.cancel();
  });
  try {
    const response = await request;
    const text = decodeBody(response.body, response.headers['content-encoding']);
    return { kind: 'response', status: response.statusCode, text, retryAfter: response.headers['retry-after'] };
  } catch (error) {
    if (tooLarge)
      throw new UnreadableResponse(
        `the PPIO API at ${host} sent a response larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; it was cut off`,
        RESPONSE_TOO_LARGE,
      );
    if (error instanceof UnreadableResponse) throw error;
    return { kind: 'network', failure: describeNetworkError(error, host, timeouts) };
  }
}

/** The body as text, decompressed with a cap on the output so a small gzip bomb cannot fill memory. */
function decodeBody(body: Buffer, encoding: string | undefined): string {
  const options = { maxOutputLength: MAX_DECOMPRESSED_BYTES };
  try {
    switch (encoding?.trim().toLowerCase()) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(body, options).toString('utf8');
      case 'deflate':
        return inflateSync(body, options).toString('utf8');
      case 'br':
        return brotliDecompressSync(body, options).toString('utf8');
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

function toAttemptFailure(outcome: AttemptOutcome): AttemptFailure {
  if (outcome.kind === 'network') return { kind: 'network', code: outcome.failure.code };
  return { kind: 'status', status: outcome.status, retryAfterMs: parseRetryAfter(outcome.retryAfter) };
}

function toApiError(outcome: AttemptOutcome, operation: string, attempts: number): ApiError {
  if (outcome.kind === 'network') return errorFromNetwork(operation, outcome.failure, attempts);
  return errorFromStatus(operation, outcome.status, outcome.text, attempts);
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
