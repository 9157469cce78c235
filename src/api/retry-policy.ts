import type { ClientRetry } from './types.js';

/** Statuses worth another attempt of an idempotent call: overload, throttling, transient failures. */
export const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Network failures a retry cannot fix: the name does not resolve, or TLS rejects the server. */
const PERMANENT_NETWORK_CODE = /^(ENOTFOUND|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_INVALID_URL)/;
/** Exponential backoff stops growing here. */
const MAX_BACKOFF_MS = 8_000;

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptFailure = { kind: 'status'; status: number; retryAfterMs: number | undefined } | { kind: 'network'; code: string };

/**
 * Milliseconds to wait before the next attempt, or undefined when the failure is final. A
 * `Retry-After` is honoured but capped at `maxRetryAfterMs`; otherwise exponential backoff
 * with jitter, so many clients throttled at once do not come back in step.
 */
export function computeRetryDelay(
  failure: AttemptFailure,
  attempt: number,
  retry: ClientRetry,
  random: () => number = Math.random,
): number | undefined {
  if (attempt > retry.limit) return undefined;
  if (failure.kind === 'status' && !RETRYABLE_STATUSES.has(failure.status)) return undefined;
  if (failure.kind === 'network' && PERMANENT_NETWORK_CODE.test(failure.code)) return undefined;
  if (failure.kind === 'status' && failure.retryAfterMs !== undefined) {
    return Math.min(failure.retryAfterMs, retry.maxRetryAfterMs);
  }
  const backoff = Math.min(retry.baseDelayMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(backoff / 2 + (random() * backoff) / 2);
}

/** `Retry-After` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
