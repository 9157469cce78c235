import type { LimitFunction } from 'p-limit';
import type { PpioApi } from '../api/types.js';
import { healthOf } from '../common/live-state.js';
import type { LiveEndpoint } from '../schema/live-endpoint.js';
import type { ApplyEvent, ApplyFailure } from './types.js';

export interface TouchedEndpoint {
  name: string;
  id: string;
}

export interface WaitOptions {
  api: PpioApi;
  /** Shared with the operations, so polling many endpoints stays within the concurrency. */
  limit: LimitFunction;
  timeoutMs: number;
  pollMs: number;
  emit(event: ApplyEvent): void;
}

/** Polls each endpoint until it is serving, has failed, or the time is up. Returns the failures. */
export async function waitUntilServing(endpoints: readonly TouchedEndpoint[], options: WaitOptions): Promise<ApplyFailure[]> {
  const deadline = performance.now() + options.timeoutMs;
  const results = await Promise.all(endpoints.map((endpoint) => waitForOne(endpoint, deadline, options)));
  return results.filter((failure): failure is ApplyFailure => failure !== undefined);
}

async function waitForOne(endpoint: TouchedEndpoint, deadline: number, options: WaitOptions): Promise<ApplyFailure | undefined> {
  const started = performance.now();
  options.emit({ type: 'waiting', ...endpoint });
  const fail = (error: string): ApplyFailure => {
    options.emit({ type: 'wait-failed', ...endpoint, error, durationMs: performance.now() - started });
    return { name: endpoint.name, action: 'wait', message: error };
  };
  for (;;) {
    let live: LiveEndpoint;
    try {
      live = await options.limit(() => options.api.getEndpoint(endpoint.id));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    const { state, error, message } = live.state;
    const health = healthOf(live.state);
    if (health === 'serving') {
      options.emit({ type: 'ready', ...endpoint, durationMs: performance.now() - started });
      return undefined;
    }
    if (health === 'failed') {
      return fail(`endpoint ${endpoint.id} is ${state}: ${error || message || 'no message from the platform'}`);
    }
    const remaining = deadline - performance.now();
    if (remaining <= 0) {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      return fail(`endpoint ${endpoint.id} is not serving after ${seconds}s (state: ${state}${message ? `, ${message}` : ''})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs, remaining)));
  }
}
