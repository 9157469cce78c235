import { ApiFault } from './api-fault.js';
import type { EndpointDraft } from './endpoint-body.js';

/** A stored endpoint's configuration: a draft whose products and rootfs size are settled. */
export type StoredConfig = EndpointDraft & { products: { id: string }[]; rootfsSize: number };

export interface StoredEndpoint {
  id: string;
  /** Defaults to the id; never changes. */
  appName: string;
  config: StoredConfig;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms from which the endpoint is past `initializing`. */
  readyAt: number;
  /** Epoch ms from which a deleted endpoint no longer shows; `terminating` until then. */
  goneAt?: number;
}

/**
 * The account's endpoints in creation order, indexed by id and by appName so lookups stay
 * O(1) with thousands of them. A deleted endpoint keeps its appName until it is gone.
 */
export class EndpointStore {
  private readonly byId = new Map<string, StoredEndpoint>();
  private readonly idByAppName = new Map<string, string>();
  /** Deleted endpoints still showing, so purging never walks the whole account. */
  private readonly terminating = new Set<StoredEndpoint>();

  constructor(
    private readonly drawId: () => string,
    private readonly now: () => number,
  ) {}

  create(config: StoredConfig, appName: string | undefined, readyAfterMs: number): StoredEndpoint {
    this.purgeGone();
    if (appName !== undefined && this.idByAppName.has(appName)) {
      throw new ApiFault(400, 'SERVERLESS_APP_NAME_IS_EXIST', `app name ${appName} already exists`);
    }
    const id = this.drawUnusedId();
    const createdAt = this.now();
    const endpoint: StoredEndpoint = { id, appName: appName ?? id, config, createdAt, readyAt: createdAt + readyAfterMs };
    this.add(endpoint);
    return endpoint;
  }

  /** A live (not deleted) endpoint, or undefined. */
  findActive(id: string): StoredEndpoint | undefined {
    const endpoint = this.findVisible(id);
    return endpoint?.goneAt === undefined ? endpoint : undefined;
  }

  /** An endpoint get and list still show: live, or deleted but not gone yet. */
  findVisible(id: string): StoredEndpoint | undefined {
    this.purgeGone();
    return this.byId.get(id);
  }

  /** The update semantics: the whole configuration is replaced and workers roll again. */
  replaceConfig(endpoint: StoredEndpoint, config: StoredConfig, readyAfterMs: number): void {
    endpoint.config = config;
    endpoint.readyAt = this.now() + readyAfterMs;
  }

  markDeleted(endpoint: StoredEndpoint, goneAfterMs: number): void {
    endpoint.goneAt = this.now() + goneAfterMs;
    this.terminating.add(endpoint);
    this.purgeGone();
  }

  /** Everything get and list show, oldest first. */
  visible(): StoredEndpoint[] {
    this.purgeGone();
    return [...this.byId.values()];
  }

  get size(): number {
    this.purgeGone();
    return this.byId.size;
  }

  /** Restores endpoints read from a state file, keeping their order. */
  restore(endpoints: StoredEndpoint[]): void {
    for (const endpoint of endpoints) {
      this.add(endpoint);
      if (endpoint.goneAt !== undefined) this.terminating.add(endpoint);
    }
  }

  private add(endpoint: StoredEndpoint): void {
    this.byId.set(endpoint.id, endpoint);
    this.idByAppName.set(endpoint.appName, endpoint.id);
  }

  private drawUnusedId(): string {
    let id = this.drawId();
    while (this.byId.has(id) || this.idByAppName.has(id)) id = this.drawId();
    return id;
  }

  private purgeGone(): void {
    const now = this.now();
    for (const endpoint of this.terminating) {
      if (endpoint.goneAt !== undefined && endpoint.goneAt <= now) {
        this.terminating.delete(endpoint);
        this.byId.delete(endpoint.id);
        this.idByAppName.delete(endpoint.appName);
      }
    }
  }
}
