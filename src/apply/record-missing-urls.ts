import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { LockfileSession } from '../lockfile/store.js';

/**
 * A run killed after recording a create but before reading its URL leaves `url: ""`. The
 * next run, plan noop or not, fills every such entry in from the live list it already has.
 * Returns how many entries it completed.
 */
export async function recordMissingUrls(session: LockfileSession, live: readonly LiveEndpoint[]): Promise<number> {
  const urls = new Map(live.map((endpoint) => [endpoint.id, endpoint.url]));
  const records: Promise<void>[] = [];
  for (const [name, entry] of Object.entries(session.current().endpoints)) {
    const url = urls.get(entry.id);
    if (entry.url !== '' || !url) continue;
    records.push(session.recordUrl(name, entry.id, url)); // one group commit for all of them
  }
  await Promise.all(records);
  return records.length;
}
