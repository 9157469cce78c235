import { describe, expect, it } from '@jest/globals';
import { collectAllPages } from '../../src/api/index.js';
import type { FetchPage, Page } from '../../src/api/list-pages.js';
import { ApiError } from '../../src/common/errors.js';

interface Item {
  id: string;
}

interface FakeServer {
  fetchPage: FetchPage<Item>;
  calls: { pageNum: number; pageSize: number }[];
}

interface Numbering {
  base: 0 | 1;
  zeroIsError?: boolean;
  zeroIsEmpty?: boolean;
  pastEndIsError?: boolean;
  maxPageSize?: number;
  omitTotal?: boolean;
}

/** An in-memory paged collection with the numbering and size cap of the server being imitated. */
function pagedCollection(count: number, numbering: Numbering): FakeServer {
  const items = Array.from({ length: count }, (_, index) => ({ id: `e${index}` }));
  const calls: FakeServer['calls'] = [];
  const fetchPage = async (pageNum: number, pageSize: number): Promise<Page<Item>> => {
    calls.push({ pageNum, pageSize });
    if (pageNum === 0 && numbering.zeroIsError) throw new ApiError('bad page', 400, 'VALIDATOR_PARAM', 'list');
    if (pageNum === 0 && numbering.zeroIsEmpty) return { items: [], total: count };
    const size = Math.min(pageSize, numbering.maxPageSize ?? pageSize);
    const index = numbering.base === 1 ? Math.max(1, pageNum) - 1 : pageNum;
    const page = items.slice(index * size, (index + 1) * size);
    if (page.length === 0 && numbering.pastEndIsError) throw new ApiError('no such page', 400, 'VALIDATOR_PARAM', 'list');
    return { items: page, total: numbering.omitTotal ? undefined : count };
  };
  return { fetchPage, calls };
}

const ids = (items: Item[]) => items.map((item) => item.id);
const expectedIds = (count: number) => Array.from({ length: count }, (_, index) => `e${index}`);

describe('collectAllPages with an expected count', () => {
  it('asks for the pages the expected items fill together with the first one (one round trip)', async () => {
    const server = pagedCollection(250, { base: 0 });
    let inFlight = 0;
    let maxInFlight = 0;
    const fetchPage: FetchPage<Item> = async (pageNum, pageSize) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return server.fetchPage(pageNum, pageSize);
    };
    const items = await collectAllPages(fetchPage, (item) => item.id, { pageSize: 100, concurrency: 8, expectedCount: 250 });
    expect(ids(items)).toEqual(expectedIds(250));
    // Pages 0–2 hold the items; page 3 tells a 0-based server from a 1-based one. All in one round.
    expect(server.calls.map((call) => call.pageNum).sort()).toEqual([0, 1, 2, 3]);
    expect(maxInFlight).toBe(4);
  });

  it.each<[string, number, Numbering]>([
    ['more items than expected', 100, { base: 0 }],
    ['fewer items than expected, a 1-based server', 900, { base: 1 }],
    ['fewer items than expected, past-the-end pages refused', 900, { base: 0, pastEndIsError: true }],
  ])('still returns every item exactly once: %s', async (_case, expectedCount, numbering) => {
    const server = pagedCollection(230, numbering);
    const items = await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 100, concurrency: 8, expectedCount });
    expect(ids(items).sort()).toEqual(expectedIds(230).sort());
  });
});

describe('collectAllPages', () => {
  it.each<[string, Numbering]>([
    ['0-based', { base: 0 }],
    ['1-based taking 0 as the first page', { base: 1 }],
    ['1-based refusing page 0', { base: 1, zeroIsError: true }],
    ['1-based answering page 0 empty', { base: 1, zeroIsEmpty: true }],
    ['capping the page size at 7', { base: 1, maxPageSize: 7 }],
    ['0-based refusing a page past the end', { base: 0, pastEndIsError: true }],
    ['0-based without a total', { base: 0, omitTotal: true }],
    ['1-based without a total', { base: 1, omitTotal: true }],
    ['0-based without a total, refusing a page past the end', { base: 0, omitTotal: true, pastEndIsError: true }],
  ])('collects every item exactly once from a server that is %s', async (_case, numbering) => {
    const server = pagedCollection(numbering.omitTotal ? 50 : 53, numbering);
    const items = await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 10, concurrency: 3 });
    expect(ids(items)).toStrictEqual(expectedIds(numbering.omitTotal ? 50 : 53));
  });

  it('makes a single request when the first page holds everything', async () => {
    const server = pagedCollection(5, { base: 1 });
    await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 10, concurrency: 3 });
    expect(server.calls).toStrictEqual([{ pageNum: 0, pageSize: 10 }]);
  });

  it('returns an empty list for an empty collection', async () => {
    const server = pagedCollection(0, { base: 0 });
    expect(await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 10, concurrency: 3 })).toStrictEqual([]);
    expect(server.calls).toHaveLength(1);
  });

  it('switches to 1-based numbering when page 1 repeats page 0, and asks for each page once', async () => {
    const server = pagedCollection(35, { base: 1 });
    await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 10, concurrency: 3 });
    expect(server.calls.map((call) => call.pageNum).sort()).toStrictEqual([0, 1, 2, 3, 4]);
  });

  it('follows a server that caps the page size by asking for that size from then on', async () => {
    const server = pagedCollection(20, { base: 0, maxPageSize: 5 });
    const items = await collectAllPages(server.fetchPage, (item) => item.id, { pageSize: 100, concurrency: 8 });
    expect(ids(items)).toStrictEqual(expectedIds(20));
    expect(server.calls.slice(1).every((call) => call.pageSize === 5)).toBe(true);
  });

  it('fetches the remaining pages concurrently, bounded by the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = pagedCollection(100, { base: 1 });
    const slowFetch: FetchPage<Item> = async (pageNum, pageSize) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return server.fetchPage(pageNum, pageSize);
    };
    const items = await collectAllPages(slowFetch, (item) => item.id, { pageSize: 5, concurrency: 4 });
    expect(items).toHaveLength(100);
    expect(peak).toBe(4);
  });

  it('stops when a page brings nothing new (a server that repeats its last page forever)', async () => {
    const calls: number[] = [];
    const repeating: FetchPage<Item> = async (pageNum) => {
      calls.push(pageNum);
      return { items: [{ id: 'a' }, { id: 'b' }], total: undefined };
    };
    expect(ids(await collectAllPages(repeating, (item) => item.id, { pageSize: 2, concurrency: 2 }))).toStrictEqual(['a', 'b']);
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it('reads on past the announced total when the collection grew meanwhile', async () => {
    const items = Array.from({ length: 25 }, (_, index) => ({ id: `e${index}` }));
    const growing: FetchPage<Item> = async (pageNum, pageSize) => {
      const total = pageNum === 0 ? 20 : 25;
      return { items: items.slice(pageNum * pageSize, (pageNum + 1) * pageSize), total };
    };
    expect(await collectAllPages(growing, (item) => item.id, { pageSize: 10, concurrency: 2 })).toHaveLength(25);
  });

  it('passes on errors other than a refused page 0', async () => {
    const failing: FetchPage<Item> = async () => {
      throw new ApiError('denied', 401, 'UNAUTHORIZED', 'list');
    };
    await expect(collectAllPages(failing, (item) => item.id, { pageSize: 10, concurrency: 2 })).rejects.toMatchObject({ status: 401 });
  });
});
