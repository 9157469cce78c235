import { readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { PpioError } from '../common/errors.js';
import { readAppName, readEndpointDraft } from './endpoint-body.js';
import type { StoredConfig, StoredEndpoint } from './endpoint-store.js';
import { FieldReader, isPlainObject } from './field-reader.js';
import { ApiFault } from './api-fault.js';

/** The `--state` file cannot be read back; the emulator refuses to start rather than lose it. */
export class EmulatorStateError extends PpioError {
  readonly exitCode = 1;
}

const STATE_VERSION = 1;

/**
 * Persists the endpoints to one JSON file. Each save writes a temp file, fsyncs it and
 * renames it over the old one, so a crash leaves either the old or the new state. Saves
 * requested while one is running collapse into a single follow-up write, which keeps a
 * burst of 1,000 creates to a handful of writes.
 */
export class StateFile {
  private dirty = false;
  private running: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly snapshot: () => StoredEndpoint[],
  ) {}

  /** The endpoints saved earlier; none when the file does not exist yet. */
  load(): StoredEndpoint[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new EmulatorStateError(`cannot read emulator state ${this.path}: ${(error as Error).message}`);
    }
    try {
      return parseState(text);
    } catch (error) {
      throw new EmulatorStateError(`emulator state ${this.path} is not valid (${(error as Error).message}); move it away to start empty`);
    }
  }

  requestSave(): void {
    this.dirty = true;
    this.running ??= this.drain();
  }

  /** Resolves once everything changed so far is on disk; rejects if a write failed. */
  async flush(): Promise<void> {
    if (this.dirty) this.running ??= this.drain();
    await this.running;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    // Let the current burst of requests land before the first write.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.dirty) {
        this.dirty = false;
        await writeAtomically(this.path, serializeState(this.snapshot()));
      }
      this.failure = undefined;
    } catch (error) {
      this.failure = new EmulatorStateError(`cannot write emulator state ${this.path}: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

function serializeState(endpoints: StoredEndpoint[]): string {
  const saved = endpoints.map((endpoint) => ({
    id: endpoint.id,
    appName: endpoint.appName,
    createdAt: endpoint.createdAt,
    readyAt: endpoint.readyAt,
    ...(endpoint.goneAt === undefined ? {} : { goneAt: endpoint.goneAt }),
    config: toRequestShape(endpoint.config),
  }));
  return `${JSON.stringify({ emulatorStateVersion: STATE_VERSION, endpoints: saved }, null, 2)}\n`;
}

/** Configs are saved in the API's own request shape, so loading reuses the request checks. */
function toRequestShape(config: StoredConfig): Record<string, unknown> {
  return {
    name: config.name,
    workerConfig: { ...config.workerConfig },
    ports: [{ port: String(config.port) }],
    policy: { ...config.policy },
    image: { ...config.image },
    products: config.products.map((product) => ({ ...product })),
    rootfsSize: config.rootfsSize,
    volumeMounts: config.volumeMounts.map((mount) => ({ ...mount })),
    clusterID: config.clusterID,
    envs: config.envs.map((env) => ({ ...env })),
    healthy: { path: config.healthPath },
  };
}

function parseState(text: string): StoredEndpoint[] {
  const state: unknown = JSON.parse(text);
  if (!isPlainObject(state) || state['emulatorStateVersion'] !== STATE_VERSION || !Array.isArray(state['endpoints'])) {
    throw new Error(`expected {"emulatorStateVersion": ${STATE_VERSION}, "endpoints": [...]}`);
  }
  const seen = new Set<string>();
  return state['endpoints'].map((saved: unknown, index) => {
    const endpoint = parseSavedEndpoint(saved, `endpoints[${index}]`);
    if (seen.has(endpoint.id) || seen.has(endpoint.appName)) throw new Error(`endpoints[${index}] repeats an id or appName`);
    seen.add(endpoint.id);
    seen.add(endpoint.appName);
    return endpoint;
  });
}

function parseSavedEndpoint(saved: unknown, path: string): StoredEndpoint {
  try {
    const fields = FieldReader.from(saved, path);
    const id = fields.requiredString('id', 16);
    if (!/^[0-9a-f]{16}$/.test(id)) throw new Error(`${path}.id is not a 16-hex endpoint id`);
    const configFields = fields.requiredObject('config');
    const draft = readEndpointDraft(configFields, 'update');
    if (draft.products === undefined || draft.rootfsSize === undefined) throw new Error(`${path}.config lacks products or rootfsSize`);
    const endpoint: StoredEndpoint = {
      id,
      appName: readAppName(fields) ?? id,
      config: { ...draft, products: draft.products, rootfsSize: draft.rootfsSize },
      createdAt: fields.requiredInteger('createdAt'),
      readyAt: fields.requiredInteger('readyAt'),
    };
    const goneAt = fields.optionalInteger('goneAt');
    if (goneAt !== undefined) endpoint.goneAt = goneAt;
    return endpoint;
  } catch (error) {
    if (error instanceof ApiFault) throw new Error(error.message);
    throw error;
  }
}
