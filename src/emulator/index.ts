/**
 * The PPIO v1 endpoint API emulator: a real HTTP server that validates
 * requests by the service's documented rules (independently of ppio-deploy's own
 * validator), answers with the service's quirks, and injects reproducible faults.
 */
import { DEFAULT_CATALOG } from './catalog.js';
import type { EmulatorCatalog } from './catalog.js';
import { EndpointStore } from './endpoint-store.js';
import { EmulatorHttpServer } from './http-server.js';
import { DEFAULT_PAGE_SIZE_MAX, resolveFaults } from './options.js';
import type { EmulatorHandle, EmulatorOptions, RequestLogEntry } from './options.js';
import { oddEndpointBodies } from './odd-endpoints.js';
import { createRandom, drawHexId, pickRandomSeed } from './random.js';
import type { Service } from './routes.js';
import { StateFile } from './state-file.js';

export { API_PREFIX } from './http-server.js';
export { EmulatorStateError } from './state-file.js';
export { FAILING_IMAGE_MARKER } from './live-endpoint.js';
export { DEFAULT_CATALOG as EMULATOR_CATALOG, DEFAULT_LIMITS as EMULATOR_LIMITS } from './catalog.js';
export { EmulatorCatalogError, readCatalogFile } from './catalog-file.js';
export type { EmulatedLimits, EmulatedProduct, EmulatedStorage, EmulatorCatalog } from './catalog.js';
export type { EmulatorHandle, EmulatorOptions, RequestLogEntry } from './options.js';

/** Ids come from their own stream, so switching faults on does not change them. */
const ID_STREAM_SALT = 0x9e3779b9;

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const faults = resolveFaults(options);
  const seed = options.seed ?? pickRandomSeed();
  const idRandom = createRandom(seed ^ ID_STREAM_SALT);
  const store = new EndpointStore(() => drawHexId(idRandom), Date.now);
  const stateFile = options.statePath === undefined ? undefined : new StateFile(options.statePath, () => store.visible());
  if (stateFile) store.restore(stateFile.load());

  const drawId = () => drawHexId(idRandom);
  const service: Service = {
    store,
    foreign: new Map(options.oddEndpoints ? oddEndpointBodies(drawId).map((body) => [String(body['id']), body]) : []),
    drawId,
    account: resolveCatalog(options),
    settings: faults,
    pageSizeMax: options.pageSizeMax ?? DEFAULT_PAGE_SIZE_MAX,
    serveProductList: options.serveProductList ?? true,
    now: Date.now,
    changed: () => stateFile?.requestSave(),
  };
  const requestLog: RequestLogEntry[] = [];
  const http = new EmulatorHttpServer({
    service,
    faults,
    random: createRandom(seed),
    apiKey: options.apiKey,
    requestLog,
    onRequest: options.onRequest,
  });
  const host = options.host ?? '127.0.0.1';
  const port = await http.listen(options.port ?? 0, host);

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requestLog,
    stop: async () => {
      await http.close();
      await stateFile?.flush();
    },
    flush: async () => stateFile?.flush(),
    endpointCount: () => store.size,
    listIds: () => store.visible().map((endpoint) => endpoint.id),
    setFault: (settings) => Object.assign(faults, resolveFaults(settings, faults)),
  };
}

/** The seeded catalogue with the options' parts over it, copied so the emulator can change its own. */
function resolveCatalog(options: EmulatorOptions): EmulatorCatalog {
  const catalog = { ...DEFAULT_CATALOG, ...options.catalog };
  return {
    clusters: structuredClone(options.clusters ?? catalog.clusters),
    storages: structuredClone(options.storages ?? catalog.storages),
    auths: structuredClone(options.auths ?? catalog.auths),
    products: structuredClone(catalog.products),
    limits: structuredClone(catalog.limits),
  };
}
