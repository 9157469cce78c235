/**
 * SIGINT and SIGTERM during apply: the first one stops new operations and lets those in
 * flight finish (up to a grace period), so each ends recorded in the lockfile; a second one
 * stops waiting. Only the CLI knows about process signals; the executor sees an AbortSignal.
 */
export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** The conventional exit code of a process stopped by `signal` (128 + its number). */
export const exitCodeFor = (signal: InterruptSignal): number => (signal === 'SIGINT' ? 130 : 143);

export interface InterruptWatch {
  /** Aborted on the first signal: start nothing new. */
  stop: AbortSignal;
  /** Resolves when waiting for in-flight operations should end: the grace period is over, or a second signal came. */
  giveUp: Promise<void>;
  received(): InterruptSignal | undefined;
  dispose(): void;
}

export function watchInterrupts(graceMs: number, onFirst: (signal: InterruptSignal) => void): InterruptWatch {
  const controller = new AbortController();
  let first: InterruptSignal | undefined;
  let timer: NodeJS.Timeout | undefined;
  let giveUp: () => void = () => {};
  const giveUpPromise = new Promise<void>((resolve) => (giveUp = resolve));
  const handler = (signal: InterruptSignal) => {
    if (first !== undefined) return giveUp();
    first = signal;
    controller.abort();
    timer = setTimeout(giveUp, graceMs);
    onFirst(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stop: controller.signal,
    giveUp: giveUpPromise,
    received: () => first,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      if (timer) clearTimeout(timer);
    },
  };
}
