import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorHandle } from '../../src/emulator/index.js';
import { clientFor, createEndpoint, updateBody } from './helpers.js';
import type { Answer, Client } from './helpers.js';

let emulator: EmulatorHandle;
let client: Client;
const ids: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0 });
  client = clientFor(emulator);
  for (let batch = 0; batch < 20; batch++) {
    const created = await Promise.all(
      Array.from({ length: 50 }, (_, index) => createEndpoint(client, (e) => (e.appName = `load-${batch * 50 + index}`))),
    );
    ids.push(...created);
  }
});
afterAll(() => emulator.stop());

describe('capacity', () => {
  it('holds 1,000 endpoints', async () => {
    expect(emulator.endpointCount()).toBe(1000);
    expect(new Set(ids).size).toBe(1000);
    const first = await client.get('/endpoints?pageSize=100&pageNum=10');
    expect(first.body.total).toBe(1000);
    expect(first.body.endpoints.map((e: { id: string }) => e.id)).toEqual(ids.slice(900));
  });

  it('answers 200 concurrent requests (gets, lists, updates) without an error', async () => {
    const requests: Promise<Answer>[] = Array.from({ length: 200 }, (_, index) => {
      const id = ids[(index * 37) % ids.length]!;
      if (index % 4 === 0) return client.get(`/endpoints?pageSize=100&pageNum=${index % 10}`);
      if (index % 4 === 1)
        return client.post(
          '/endpoint/update',
          updateBody(id, (e) => (e.workerConfig.maxNum = 5)),
        );
      return client.get(`/endpoint?id=${id}`);
    });
    const answers = await Promise.all(requests);
    expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);
  });
});
