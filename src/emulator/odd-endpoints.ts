/**
 * Endpoints made by other tools (async endpoints, the v2 API, the console) whose shapes the
 * v1 docs do not describe: policy types v1 does not list, `null` where v1 has an object or a
 * list, decimals written as strings. The `oddEndpoints` switch adds them to the account so
 * tests can prove that a client which does not manage them still plans. They are served by
 * get and list as they are and can be deleted; an update is refused.
 */
export function oddEndpointBodies(ids: () => string): Record<string, unknown>[] {
  const live = (id: string, appName: string) => ({
    id,
    appName,
    url: `https://${id}-${appName}.runsync.serverless.ppinfra.com`,
    state: { state: 'serving', error: '', message: '' },
  });
  const asyncId = ids();
  const v2Id = ids();
  const consoleId = ids();
  return [
    {
      ...live(asyncId, 'async-transcode'),
      name: 'async-transcode',
      workerConfig: { minNum: '0', maxNum: '2', freeTimeout: '300.0', maxConcurrent: '1', gpuNum: 1, cudaVersion: '12.4' },
      ports: null,
      policy: { type: 'async-queue', value: '5.0' },
      image: { image: 'registry.example.com/media/transcode:3', authId: null, command: null },
      products: [{ id: '1' }],
      rootfsSize: '100',
      volumeMounts: null,
      envs: null,
      healthy: null,
      workers: null,
      log: null,
    },
    {
      ...live(v2Id, 'v2-chat'),
      name: 'v2-chat',
      workerConfig: null,
      ports: [{ port: 8000, protocol: 'http' }],
      policy: null,
      image: null,
      products: null,
      rootfsSize: null,
      volumeMounts: [],
      envs: [{ key: 'MODE', value: null }],
      healthy: { path: null },
      workers: [{ id: `${v2Id}-w0`, state: null, log: null, metrics: null, healthy: null }],
    },
    {
      ...live(consoleId, consoleId),
      name: null,
      state: { state: 'stopped', error: null, message: null },
      workerConfig: { minNum: 0, maxNum: 1, freeTimeout: 300, maxConcurrent: 1, gpuNum: 1 },
      ports: [{ port: '8080' }],
      policy: { type: 'concurrency', value: 1 },
      image: { image: 'ghcr.io/acme/console-made:1' },
      products: [{ id: '1' }],
      rootfsSize: 100,
      volumeMounts: [{ type: 'nfs', mountPath: '/mnt' }],
      healthy: { path: '/health' },
    },
  ];
}
