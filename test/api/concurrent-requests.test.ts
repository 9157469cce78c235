/**
 * A client's requests all listen on its one abort signal (close() ends them): a large apply or
 * a paged list has more than ten in flight at once, and must not make Node print a warning.
 * Node prints it on the process's stderr, so the client runs in a child process (the built
 * dist/, as the CLI runs it).
 */
import { expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../helpers/cli.js';

it('many requests in flight at once print no warning', async () => {
  const dist = (file: string) => JSON.stringify(path.join(repoRoot, 'dist', file));
  const script = `
    import { createPpioClient } from ${dist('api/index.js')};
    import { startEmulator } from ${dist('emulator/index.js')};
    const emulator = await startEmulator();
    const client = createPpioClient({ baseUrl: emulator.url, apiKey: 'test-key' });
    const limits = await Promise.all(Array.from({ length: 30 }, () => client.getLimits()));
    client.close();
    await emulator.stop();
    console.log(limits.length);
  `;
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }, (error, out, err) =>
      error ? reject(error) : resolve({ stdout: out, stderr: err }),
    ),
  );
  expect({ stdout, stderr }).toEqual({ stdout: '30\n', stderr: '' });
});
