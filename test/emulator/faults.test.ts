import { describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { clientFor, validEndpoint, withEmulator } from './helpers.js';
import type { Client } from './helpers.js';

async function statusSequence(client: Client, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index++) statuses.push((await client.get('/clusters')).status);
  return statuses;
}

async function sequenceFor(options: EmulatorOptions): Promise<number[]> {
  return withEmulator(options, (_emulator, client) => statusSequence(client, 40));
}

/** Creates sequentially; 'ok' or 'cut' per create, as the client saw it. */
async function createOutcomes(client: Client, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let index = 0; index < count; index++) {
    try {
      const answer = await client.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = `drop-${index}`)) });
      outcomes.push(answer.status === 200 ? 'ok' : String(answer.status));
    } catch {
      outcomes.push('cut');
    }
  }
  return outcomes;
}

describe('fault injection', () => {
  it('delays every answer by latencyMs', async () => {
    await withEmulator({ latencyMs: 120 }, async (_emulator, client) => {
      const started = performance.now();
      expect((await client.get('/clusters')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    });
  });

  it('answers 500 UNKNOWN at errorRate 1 and commits nothing', async () => {
    await withEmulator({ errorRate: 1 }, async (emulator, client) => {
      const answer = await client.post('/endpoint/create', { endpoint: validEndpoint() });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ code: 500, reason: 'UNKNOWN', message: expect.any(String), metadata: {} });
      expect(emulator.endpointCount()).toBe(0);
      expect(emulator.requestLog.at(-1)).toMatchObject({ status: 500, fault: 'error' });
    });
  });

  it('answers 429 RATE_LIMIT_EXCEEDED with Retry-After at rateLimitRate 1', async () => {
    await withEmulator({ rateLimitRate: 1, retryAfterSeconds: 3 }, async (_emulator, client) => {
      const answer = await client.get('/endpoints?pageSize=10&pageNum=1');
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('3');
      expect(answer.body.reason).toBe('RATE_LIMIT_EXCEEDED');
    });
  });

  it('replays the same fault sequence for the same seed, and another for another seed', async () => {
    const options = { errorRate: 0.3, rateLimitRate: 0.3 };
    const first = await sequenceFor({ ...options, seed: 42 });
    const again = await sequenceFor({ ...options, seed: 42 });
    const other = await sequenceFor({ ...options, seed: 43 });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
  });

  it('commits a dropped create, then cuts the connection before any answer', async () => {
    await withEmulator({ dropRate: 1 }, async (emulator, client) => {
      await expect(client.post('/endpoint/create', { endpoint: validEndpoint() })).rejects.toThrow();
      expect(emulator.endpointCount()).toBe(1);
      expect(emulator.requestLog.at(-1)).toMatchObject({ status: 0, fault: 'drop' });
      // The endpoint is really there: a client reconciles by appName.
      const list = await client.get('/endpoints?pageSize=10&pageNum=1');
      expect(list.body.endpoints[0].appName).toBe('sdxl-turbo');
      // Only creates are dropped.
      expect((await client.get('/clusters')).status).toBe(200);
    });
  });

  it('drops the same creates for the same seed and commits every one', async () => {
    const run = () =>
      withEmulator({ dropRate: 0.5, seed: 9 }, async (emulator, client) => {
        const outcomes = await createOutcomes(client, 12);
        expect(emulator.endpointCount()).toBe(12);
        return outcomes;
      });
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'cut']));
  });

  it('changes the switches while running with setFault', async () => {
    await withEmulator({}, async (emulator, client) => {
      expect((await client.get('/clusters')).status).toBe(200);
      emulator.setFault({ errorRate: 1 });
      expect((await client.get('/clusters')).status).toBe(500);
      emulator.setFault({ errorRate: 0 });
      expect((await client.get('/clusters')).status).toBe(200);
      expect(() => emulator.setFault({ dropRate: 2 })).toThrow(/dropRate must be between 0 and 1/);
    });
  });
});

describe('seeded ids', () => {
  it('hands out the same ids for the same seed, with or without latency', async () => {
    const idsFor = async (options: EmulatorOptions) => {
      const emulator = await startEmulator(options);
      const client = clientFor(emulator);
      const ids: string[] = [];
      try {
        for (let index = 0; index < 3; index++) {
          const answer = await client.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = `seeded-${index}`)) });
          ids.push(answer.body.id);
        }
      } finally {
        await emulator.stop();
      }
      return ids;
    };
    const plain = await idsFor({ seed: 5 });
    expect(await idsFor({ seed: 5, latencyMs: 1 })).toEqual(plain);
    expect(await idsFor({ seed: 6 })).not.toEqual(plain);
    for (const id of plain) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
