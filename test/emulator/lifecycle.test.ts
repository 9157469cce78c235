import { describe, expect, it } from '@jest/globals';
import { FAILING_IMAGE_MARKER } from '../../src/emulator/index.js';
import { createEndpoint, sleep, updateBody, withEmulator } from './helpers.js';
import type { Client } from './helpers.js';

async function stateOf(client: Client, id: string): Promise<{ state: string; workers: { state: { state: string }; healthy: boolean }[] }> {
  const { endpoint } = (await client.get(`/endpoint?id=${id}`)).body;
  return { state: endpoint.state.state, workers: endpoint.workers };
}

async function waitForState(client: Client, id: string, wanted: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await stateOf(client, id)).state !== wanted) {
    if (Date.now() > deadline) throw new Error(`endpoint ${id} never became ${wanted}`);
    await sleep(10);
  }
}

describe('endpoint lifecycle', () => {
  it('moves initializing → serving after readyAfterMs, with minNum workers', async () => {
    await withEmulator({ readyAfterMs: 400 }, async (_emulator, client) => {
      const id = await createEndpoint(client, (e) => (e.workerConfig.minNum = 2));
      const early = await stateOf(client, id);
      expect(early.state).toBe('initializing');
      expect(early.workers.map((w) => [w.state.state, w.healthy])).toEqual([
        ['pulling', false],
        ['pulling', false],
      ]);
      await waitForState(client, id, 'serving');
      const ready = await stateOf(client, id);
      expect(ready.workers.map((w) => [w.state.state, w.healthy])).toEqual([
        ['running', true],
        ['running', true],
      ]);
    });
  });

  it('shows no workers for a scale-to-zero endpoint that is serving', async () => {
    await withEmulator({ readyAfterMs: 0 }, async (_emulator, client) => {
      const id = await createEndpoint(client, (e) => (e.workerConfig.minNum = 0));
      expect(await stateOf(client, id)).toEqual({ state: 'serving', workers: [] });
    });
  });

  it('moves an updated endpoint back through initializing while its workers roll', async () => {
    await withEmulator({ readyAfterMs: 0 }, async (emulator, client) => {
      const id = await createEndpoint(client);
      expect((await stateOf(client, id)).state).toBe('serving');
      emulator.setFault({ readyAfterMs: 60_000 });
      expect(
        (
          await client.post(
            '/endpoint/update',
            updateBody(id, (e) => (e.workerConfig.maxNum = 6)),
          )
        ).status,
      ).toBe(200);
      expect((await stateOf(client, id)).state).toBe('initializing');
    });
  });

  it(`fails an endpoint whose image contains "${FAILING_IMAGE_MARKER}", with a state error`, async () => {
    await withEmulator({ readyAfterMs: 0 }, async (_emulator, client) => {
      const id = await createEndpoint(client, (e) => (e.image.image = `ghcr.io/acme/${FAILING_IMAGE_MARKER}:1`));
      const { endpoint } = (await client.get(`/endpoint?id=${id}`)).body;
      expect(endpoint.state).toEqual({ state: 'failed', error: 'ImagePullBackOff', message: expect.stringContaining(FAILING_IMAGE_MARKER) });
      expect(endpoint.workers[0].state.state).toBe('failed');
    });
  });

  it('shows a deleted endpoint as terminating for deleteDelayMs, then not at all', async () => {
    await withEmulator({ readyAfterMs: 0, deleteDelayMs: 300 }, async (emulator, client) => {
      const id = await createEndpoint(client);
      expect((await client.post('/endpoint/delete', { id })).status).toBe(200);
      expect((await stateOf(client, id)).state).toBe('terminating');
      expect((await client.post('/endpoint/update', updateBody(id))).body.reason).toBe('SERVERLESS_ENDPOINT_NOT_FOUND');
      const deadline = Date.now() + 5000;
      while ((await client.get(`/endpoint?id=${id}`)).status === 200) {
        if (Date.now() > deadline) throw new Error('the deleted endpoint never went away');
        await sleep(20);
      }
      expect(emulator.endpointCount()).toBe(0);
    });
  });
});
