/**
 * How a live endpoint's `state` reads to a user. The platform reports `serving` when ready and
 * `failed` or `error` (or any non-empty `error`) when broken; other words (`initializing`,
 * `stopped`, `terminating`, …) are passed through, lower-cased, as the state they name.
 */
export interface EndpointState {
  /** `serving` means ready; also `initializing`, `running`, `stopped`, `failed`, `error`, … */
  state: string;
  error: string;
  message: string;
}

export type EndpointHealth = 'serving' | 'failed' | 'other';

export function healthOf(state: EndpointState): EndpointHealth {
  const word = state.state.toLowerCase();
  if (word === 'failed' || word === 'error' || state.error.trim() !== '') return 'failed';
  return word === 'serving' ? 'serving' : 'other';
}

/** The platform's reason for a failure, e.g. `ImagePullBackOff: failed to pull image …`. */
export function failureMessage(state: EndpointState): string {
  const parts = [state.error.trim(), state.message.trim()].filter((part) => part !== '');
  return parts.length > 0 ? parts.join(': ') : `state ${state.state}`;
}
