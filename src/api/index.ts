/**
 * The PPIO API client: the only module that speaks HTTP. Importing it is cheap (got loads on
 * the first request), so the CLI can import it lazily inside commands.
 */
export { assertSafeBaseUrl } from './base-url.js';
export { createPpioClient } from './client.js';
export { assertUnreadableUnclaimed } from './unreadable.js';
export { normalizeLiveEndpoint } from './normalize-live.js';
export { toCreateBody, toUpdateBody } from './request-body.js';
export { collectAllPages } from './list-pages.js';
export { computeRetryDelay, parseRetryAfter } from './retry-policy.js';
export type * from './types.js';
