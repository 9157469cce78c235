import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EmulatorStateError, startEmulator } from '../../src/emulator/index.js';
import { clientFor, createEndpoint, updateBody, validEndpoint } from './helpers.js';

let dir: string;
let statePath: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ppio-emulator-state-'));
  statePath = path.join(dir, 'state.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('--state persistence', () => {
  it('reloads endpoints, their order, configs and appNames after a restart', async () => {
    const first = await startEmulator({ statePath, readyAfterMs: 0 });
    const client = clientFor(first);
    const kept = await createEndpoint(client, (e) => (e.appName = 'kept'));
    const updated = await createEndpoint(client, (e) => (e.appName = 'updated'));
    const deleted = await createEndpoint(client, (e) => (e.appName = 'deleted'));
    await client.post(
      '/endpoint/update',
      updateBody(updated, (e) => (e.envs = [{ key: 'NEW', value: '1' }])),
    );
    await client.post('/endpoint/delete', { id: deleted });
    const before = (await client.get('/endpoints?pageSize=10&pageNum=1')).body;
    await first.stop();

    const second = await startEmulator({ statePath, readyAfterMs: 0 });
    try {
      const again = clientFor(second);
      expect(second.listIds()).toEqual([kept, updated]);
      expect((await again.get('/endpoints?pageSize=10&pageNum=1')).body).toEqual(before);
      const duplicate = await again.post('/endpoint/create', { endpoint: validEndpoint((e) => (e.appName = 'kept')) });
      expect(duplicate.body.reason).toBe('SERVERLESS_APP_NAME_IS_EXIST');
    } finally {
      await second.stop();
    }
  });

  it('writes the file atomically, leaving no temp file, and coalesces a burst of creates', async () => {
    const emulator = await startEmulator({ statePath });
    const client = clientFor(emulator);
    await Promise.all(Array.from({ length: 50 }, (_, index) => createEndpoint(client, (e) => (e.appName = `burst-${index}`))));
    await emulator.flush();
    const saved = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(saved.emulatorStateVersion).toBe(1);
    expect(saved.endpoints).toHaveLength(50);
    expect(readdirSync(dir)).toEqual(['state.json']);
    await emulator.stop();
  });

  it('starts empty when the file does not exist yet, and creates it on the first change', async () => {
    const emulator = await startEmulator({ statePath });
    expect(emulator.endpointCount()).toBe(0);
    expect(existsSync(statePath)).toBe(false);
    await createEndpoint(clientFor(emulator));
    await emulator.stop();
    expect(existsSync(statePath)).toBe(true);
  });

  it.each([
    ['not JSON', '{"emulatorStateVersion": 1, "endpoints": ['],
    ['another version', '{"emulatorStateVersion": 2, "endpoints": []}'],
    ['an endpoint with a bad id', '{"emulatorStateVersion": 1, "endpoints": [{"id": "nope", "config": {}}]}'],
    [
      'an endpoint with a bad config',
      '{"emulatorStateVersion": 1, "endpoints": [{"id": "0123456789abcdef", "createdAt": 1, "readyAt": 1, "config": {"ports": []}}]}',
    ],
  ])('refuses to start from a state file holding %s, and leaves it alone', async (_case, content) => {
    writeFileSync(statePath, content);
    await expect(startEmulator({ statePath })).rejects.toThrow(EmulatorStateError);
    await expect(startEmulator({ statePath })).rejects.toThrow(/state\.json is not valid/);
    expect(readFileSync(statePath, 'utf8')).toBe(content);
  });
});
