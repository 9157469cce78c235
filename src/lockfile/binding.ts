/**
 * A lockfile's ids mean something only on the API (and account) that issued them. These two
 * checks stop a plan from treating another origin's or another account's endpoints as gone,
 * which would re-create every endpoint and overwrite the recorded ids.
 */
import { RefusedError } from '../common/errors.js';
import type { Lockfile } from './types.js';

/** The origin a lockfile records for a base URL: scheme, host and port, no path. */
export const apiOriginOf = (baseUrl: string): string => new URL(baseUrl.trim()).origin;

const recordsAnything = (lockfile: Lockfile): boolean => Object.keys(lockfile.endpoints).length > 0 || lockfile.pending.length > 0;

/** Refuses to plan a lockfile that records endpoints of another API origin. */
export function assertLockfileOrigin(lockfile: Lockfile, origin: string, file: string): void {
  if (lockfile.api === undefined || lockfile.api === origin || !recordsAnything(lockfile)) return;
  throw new RefusedError(
    `${file} records endpoints of ${lockfile.api}, but this run talks to ${origin}; nothing was planned. ` +
      'Its ids mean nothing there: a plan would re-create every endpoint. Keep one lockfile per API and account ' +
      '(`environments:` with `--env NAME`, or `lockfile:` in the config), or start a fresh lockfile for ' +
      `${origin} (point \`lockfile:\` at a new file). To talk to ${lockfile.api}, set PPIO_BASE_URL or \`baseUrl\` to it.`,
  );
}

/**
 * When most recorded endpoints (more than half, at least two) are missing live, the API key
 * or account is far more likely wrong than the endpoints deleted by hand.
 */
export function assertRecordedMostlyLive(lockfile: Lockfile, liveIds: ReadonlySet<string>, file: string, origin: string): void {
  const recorded = Object.entries(lockfile.endpoints);
  const missing = recorded.filter(([, entry]) => !liveIds.has(entry.id)).map(([name]) => name);
  if (missing.length < 2 || missing.length * 2 <= recorded.length) return;
  const shown =
    missing
      .slice(0, 5)
      .map((name) => JSON.stringify(name))
      .join(', ') + (missing.length > 5 ? `, … (${missing.length - 5} more)` : '');
  throw new RefusedError(
    `${missing.length} of the ${recorded.length} endpoints ${file} records are missing on ${origin} (${shown}); nothing was planned. ` +
      'That is far more often a wrong API key or account than endpoints deleted by hand: check PPIO_API_KEY (and --env). ' +
      'If they were deleted, rerun with --allow-missing to plan them again.',
  );
}
