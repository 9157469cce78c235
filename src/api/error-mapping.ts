import { ApiError } from '../common/errors.js';

/** The API's error body: `{code, reason, message, metadata}`, sometimes only `message`. */
interface ErrorBody {
  reason: string | undefined;
  message: string | undefined;
}

const AUTH_REASONS = new Set(['UNAUTHORIZED', 'INVALID_API_KEY']);
/** Gateways answer these while the service behind them may have done the work. */
const MAYBE_COMMITTED_STATUSES = new Set([502, 504]);
/** Failures that happen before a single byte of the request leaves this machine. */
const NOT_SENT_CODES =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_FAIL|EHOSTUNREACH|ENETUNREACH|ENETDOWN|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;
const NOT_SENT_TIMEOUT_PHASES = new Set(['lookup', 'connect', 'secureConnect']);

/** A response with a non-2xx status, after any retries; `statusMessage` is the server's reason phrase. */
export function errorFromStatus(operation: string, status: number, text: string, attempts: number, statusMessage?: string): ApiError {
  const body = parseErrorBody(text);
  const reason = body.reason;
  const detail = body.message ?? (statusMessage || undefined) ?? 'no message';
  const label = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
  const lost = MAYBE_COMMITTED_STATUSES.has(status);
  if (status === 401 || status === 403 || (reason !== undefined && AUTH_REASONS.has(reason))) {
    return new ApiError(
      `${operation}: the PPIO API rejected the API key (${label}: ${detail}); set PPIO_API_KEY to a valid key`,
      status,
      reason,
      operation,
    );
  }
  const retried = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (status === 429) {
    return new ApiError(`${operation}: rate limited by the PPIO API (${label}: ${detail})${retried}`, status, reason, operation);
  }
  const lostNote = lost ? '; the request may still have been applied' : '';
  return new ApiError(`${operation} failed: ${label}: ${detail}${retried}${lostNote}`, status, reason, operation, lost);
}

/** What a network-level failure (got's RequestError) tells us; got's error itself is not kept. */
export interface NetworkFailure {
  code: string;
  /** For timeouts: the phase that timed out (`connect`, `response`, `request`, …). */
  timeoutPhase: string | undefined;
  timeoutMs: number | undefined;
  host: string;
}

export function errorFromNetwork(operation: string, failure: NetworkFailure, attempts: number): ApiError {
  const sent = failure.timeoutPhase !== undefined ? !NOT_SENT_TIMEOUT_PHASES.has(failure.timeoutPhase) : !NOT_SENT_CODES.test(failure.code);
  const retried = attempts > 1 ? ` (${attempts} attempts)` : '';
  const lostNote = sent ? '; the request may have reached the server and been applied' : '';
  if (failure.timeoutPhase !== undefined) {
    const within = failure.timeoutMs !== undefined ? ` within ${failure.timeoutMs} ms` : '';
    return new ApiError(
      `${operation}: the PPIO API at ${failure.host} did not answer${within} (${failure.timeoutPhase} timeout)${retried}${lostNote}`,
      undefined,
      'TIMEOUT',
      operation,
      sent,
    );
  }
  return new ApiError(
    `${operation}: network error talking to the PPIO API at ${failure.host}: ${describeCode(failure.code)}${retried}${lostNote}`,
    undefined,
    'NETWORK',
    operation,
    sent,
  );
}

function describeCode(code: string): string {
  const meanings: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset before the response arrived',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed temporarily',
    EPIPE: 'connection closed while sending',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
  };
  const meaning = meanings[code];
  return meaning ? `${meaning} (${code})` : code;
}

function parseErrorBody(text: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { reason: undefined, message: undefined };
  }
  if (typeof parsed !== 'object' || parsed === null) return { reason: undefined, message: undefined };
  const record = parsed as Record<string, unknown>;
  const reason = typeof record['reason'] === 'string' && record['reason'] !== '' ? record['reason'] : undefined;
  const message = typeof record['message'] === 'string' && record['message'] !== '' ? truncate(record['message']) : undefined;
  return { reason, message };
}

function truncate(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
