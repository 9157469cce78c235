import { describe, expect, it } from '@jest/globals';
import { computeRetryDelay, parseRetryAfter } from '../../src/api/index.js';

const retry = { limit: 3, maxRetryAfterMs: 5_000, baseDelayMs: 100 };
const half = () => 0.5;

describe('computeRetryDelay', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries HTTP %i', (status) => {
    expect(computeRetryDelay({ kind: 'status', status, retryAfterMs: undefined }, 1, retry, half)).toBeGreaterThan(0);
  });

  it.each([400, 401, 403, 404, 409, 501])('does not retry HTTP %i', (status) => {
    expect(computeRetryDelay({ kind: 'status', status, retryAfterMs: undefined }, 1, retry, half)).toBeUndefined();
  });

  it('retries transient network errors but not a host that does not resolve or a bad certificate', () => {
    expect(computeRetryDelay({ kind: 'network', code: 'ECONNRESET' }, 1, retry, half)).toBeGreaterThan(0);
    expect(computeRetryDelay({ kind: 'network', code: 'ETIMEDOUT' }, 1, retry, half)).toBeGreaterThan(0);
    expect(computeRetryDelay({ kind: 'network', code: 'ENOTFOUND' }, 1, retry, half)).toBeUndefined();
    expect(computeRetryDelay({ kind: 'network', code: 'CERT_HAS_EXPIRED' }, 1, retry, half)).toBeUndefined();
  });

  it('stops after the retry limit', () => {
    const failure = { kind: 'status', status: 503, retryAfterMs: undefined } as const;
    expect(computeRetryDelay(failure, 3, retry, half)).toBeDefined();
    expect(computeRetryDelay(failure, 4, retry, half)).toBeUndefined();
  });

  it('backs off exponentially with jitter between half and all of the step', () => {
    const failure = { kind: 'network', code: 'ECONNRESET' } as const;
    expect([1, 2, 3].map((attempt) => computeRetryDelay(failure, attempt, retry, () => 0))).toStrictEqual([50, 100, 200]);
    expect([1, 2, 3].map((attempt) => computeRetryDelay(failure, attempt, retry, () => 1))).toStrictEqual([100, 200, 400]);
  });

  it('caps the exponential backoff', () => {
    const failure = { kind: 'network', code: 'ECONNRESET' } as const;
    expect(computeRetryDelay(failure, 20, { ...retry, limit: 50 }, () => 1)).toBe(8_000);
  });

  it('honours Retry-After exactly, and caps it at maxRetryAfterMs', () => {
    expect(computeRetryDelay({ kind: 'status', status: 429, retryAfterMs: 1_200 }, 1, retry, half)).toBe(1_200);
    expect(computeRetryDelay({ kind: 'status', status: 429, retryAfterMs: 3_600_000 }, 1, retry, half)).toBe(5_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    [undefined, undefined],
    ['2', 2_000],
    [' 0 ', 0],
    ['1.5', 1_500],
    ['Wed, 01 Jan 2025 00:00:30 GMT', 30_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
    ['soon', undefined],
  ])('%j → %j ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});
