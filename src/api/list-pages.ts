import { ApiError } from '../common/errors.js';
import pLimit from 'p-limit';

export interface Page<T> {
  items: T[];
  /** Items in the whole collection, when the API says. */
  total: number | undefined;
}

/** Fetches one page; `pageNum` is whatever the server's numbering turns out to be. */
export type FetchPage<T> = (pageNum: number, pageSize: number) => Promise<Page<T>>;

export interface PagingOptions {
  pageSize: number;
  concurrency: number;
  /**
   * How many items the caller expects (e.g. apply, after creating endpoints). The pages that
   * many items fill are requested together with the first one, saving a round trip; the
   * algorithm below is unchanged and takes them as it asks for them.
   */
  expectedCount?: number;
}

/** After the planned pages, at most this many more are read one by one (the collection grew meanwhile). */
const MAX_TAIL_PAGES = 100;
/** Whatever `total` a server reports, no more pages than this are requested (200,000 items at 100 a page). */
export const MAX_PAGES = 2_000;
/** Page sizes tried, after the configured one, when a server refuses a page size with HTTP 400. */
const SMALLER_PAGE_SIZES = [50, 20, 10];
export const INCOMPLETE_LIST = 'INCOMPLETE_LIST';

/**
 * Reads every item of a paged collection whose page numbering is unconfirmed (0- or 1-based).
 *
 * Page `0` comes first (the official CLI's choice); it gives the total. Pages `1..n` are then
 * fetched concurrently, where `n` is the page count: if page 1 repeats page 0 the server is
 * 1-based (it took 0 as 1) and page `n` is its last page; if not, it is 0-based and page `n`
 * is one past the end. Either way a long list costs one round trip plus the remainder over the
 * concurrency. Items are deduplicated by id, a page that brings nothing new ends the listing,
 * and a server that caps the page size below ours is followed.
 */
export async function collectAllPages<T>(
  fetchPageNow: FetchPage<T>,
  idOf: (item: T) => string,
  options: PagingOptions,
  operation = 'list',
): Promise<T[]> {
  const fetchPage = prefetching(fetchPageNow, options);
  const collected = new Map<string, T>();
  const addNew = (page: Page<T>): number => {
    let added = 0;
    for (const item of page.items) {
      const id = idOf(item);
      if (!collected.has(id)) added += 1;
      collected.set(id, item);
    }
    return added;
  };

  const { page: first, base: knownBase, pageSize: acceptedSize } = await fetchFirstPage(fetchPage, options.pageSize, operation);
  addNew(first);
  let total = first.total;
  const finish = () => completeList(collected, total, operation);
  if (isComplete(first, collected.size, total, acceptedSize)) return finish();

  // A server that returns fewer items than asked (but not all of them) capped the page size:
  // ask for exactly that size from now on, so its page offsets and ours agree.
  const pageSize = Math.min(acceptedSize, first.items.length);
  let nextPageNum: number;
  if (total !== undefined) {
    const pageCount = Math.ceil(total / pageSize);
    if (pageCount > MAX_PAGES) {
      throw new ApiError(
        `${operation}: the PPIO API reports ${total} items, ${pageCount} pages of ${pageSize}; ppio-deploy reads at most ${MAX_PAGES} pages, so the list cannot be trusted`,
        undefined,
        INCOMPLETE_LIST,
        operation,
      );
    }
    const firstPageNum = knownBase === 1 ? 2 : 1;
    const pageNums = range(firstPageNum, pageCount + 1);
    // On a 0-based server the last page number asked for is one past the end; a server may refuse it.
    const fetchOne = (pageNum: number) =>
      knownBase === undefined && pageNum === pageCount ? fetchPageOrEmpty(fetchPage, pageNum, pageSize) : fetchPage(pageNum, pageSize);
    const pages = await fetchConcurrently(pageNums, fetchOne, options.concurrency);
    // On a 1-based server page 1 repeats page 0: deduplication drops the repeat.
    for (const page of pages) {
      addNew(page);
      total = page.total ?? total;
    }
    nextPageNum = pageCount + 1;
  } else {
    // No total: probe page 1. A repeat of page 0 means 1-based (page 2 is next either way).
    nextPageNum = 2;
    if (knownBase === undefined) {
      const probe = await fetchPage(1, pageSize);
      const oneBased = sameIds(probe.items, first.items, idOf);
      if (!oneBased && (addNew(probe) === 0 || isComplete(probe, collected.size, total, pageSize))) return finish();
    }
  }

  // Sequential tail: no total, or the collection grew while we read it.
  for (let extra = 0; extra < MAX_TAIL_PAGES && (total === undefined || collected.size < total); extra += 1) {
    const page = await fetchPageOrEmpty(fetchPage, nextPageNum, pageSize);
    nextPageNum += 1;
    total = page.total ?? total;
    if (addNew(page) === 0 || isComplete(page, collected.size, total, pageSize)) break;
  }
  return finish();
}

/**
 * Fewer items than the server's own total means pages were lost (a server that ignores
 * paging, or answers the same page twice): planning from such a list would re-create the
 * missing endpoints, so it is an error.
 */
function completeList<T>(collected: Map<string, T>, total: number | undefined, operation: string): T[] {
  if (total !== undefined && collected.size < total) {
    throw new ApiError(
      `${operation}: the PPIO API reported ${total} items but its pages held only ${collected.size}; refusing to work from an incomplete list (try again; if it persists, the API's paging has changed)`,
      undefined,
      INCOMPLETE_LIST,
      operation,
    );
  }
  return [...collected.values()];
}

/**
 * Starts the pages `expectedCount` items fill (after page 0, at most `concurrency` of them),
 * plus the next one, which the listing asks for to tell 0- from 1-based numbering, and
 * serves each from that request when the listing asks for it with the same size.
 */
function prefetching<T>(fetchPage: FetchPage<T>, options: PagingOptions): FetchPage<T> {
  const expectedPages = Math.ceil((options.expectedCount ?? 0) / options.pageSize);
  if (expectedPages <= 1) return fetchPage;
  const early = new Map<number, Promise<Page<T>>>();
  for (const pageNum of range(1, Math.min(expectedPages, options.concurrency) + 1)) {
    const request = fetchPage(pageNum, options.pageSize);
    request.catch(() => undefined); // a page the listing never asks for must not fail it
    early.set(pageNum, request);
  }
  return (pageNum, pageSize) => {
    const request = pageSize === options.pageSize ? early.get(pageNum) : undefined;
    early.delete(pageNum);
    return request ?? fetchPage(pageNum, pageSize);
  };
}

/**
 * Page 0 first. A server that refuses page 0 (HTTP 400) or answers it empty while reporting
 * items is 1-based. A server that refuses both page 0 and page 1 is refusing the page size:
 * smaller sizes are tried before giving up.
 */
async function fetchFirstPage<T>(
  fetchPage: FetchPage<T>,
  pageSize: number,
  operation: string,
): Promise<{ page: Page<T>; base: 0 | 1 | undefined; pageSize: number }> {
  const sizes = [pageSize, ...SMALLER_PAGE_SIZES.filter((size) => size < pageSize)];
  let lastRefusal: unknown;
  for (const size of sizes) {
    let zero: Page<T>;
    try {
      zero = await fetchPage(0, size);
    } catch (error) {
      if (!isRefusedPage(error)) throw error;
      try {
        return { page: await fetchPage(1, size), base: 1, pageSize: size };
      } catch (retryError) {
        if (!isRefusedPage(retryError)) throw retryError;
        lastRefusal = retryError;
        continue;
      }
    }
    if (zero.items.length === 0 && (zero.total ?? 0) > 0) return { page: await fetchPage(1, size), base: 1, pageSize: size };
    return { page: zero, base: undefined, pageSize: size };
  }
  const detail = lastRefusal instanceof Error ? ` (last answer: ${lastRefusal.message})` : '';
  throw new ApiError(`${operation}: the PPIO API refused every page size tried (${sizes.join(', ')})${detail}`, 400, INCOMPLETE_LIST, operation);
}

async function fetchPageOrEmpty<T>(fetchPage: FetchPage<T>, pageNum: number, pageSize: number): Promise<Page<T>> {
  try {
    return await fetchPage(pageNum, pageSize);
  } catch (error) {
    if (isRefusedPage(error)) return { items: [], total: undefined };
    throw error;
  }
}

/** HTTP 400 that is not a not-found: the server does not take this page number. */
function isRefusedPage(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && !error.isNotFound;
}

function isComplete<T>(page: Page<T>, collectedCount: number, total: number | undefined, pageSize: number): boolean {
  if (page.items.length === 0) return true;
  if (total !== undefined) return collectedCount >= total;
  return page.items.length < pageSize;
}

function sameIds<T>(a: T[], b: T[], idOf: (item: T) => string): boolean {
  return a.length === b.length && a.every((item, index) => idOf(item) === idOf(b[index] as T));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, offset) => from + offset);
}

async function fetchConcurrently<T>(indices: number[], fetchOne: (index: number) => Promise<Page<T>>, concurrency: number): Promise<Page<T>[]> {
  if (indices.length === 0) return [];
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(indices.map((index) => limit(() => fetchOne(index))));
}
