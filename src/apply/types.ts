import type { PpioApi } from '../api/types.js';
import type { LockfileSession } from '../lockfile/store.js';
import type { Action, Change, Plan } from '../plan/types.js';
import type { DesiredEndpoint } from '../spec/types.js';

export interface ApplyInput {
  plan: Plan;
  /** Desired endpoints by name: `config` is sent, `recorded` is what the lockfile keeps. */
  desired: ReadonlyMap<string, DesiredEndpoint>;
  api: PpioApi;
  session: LockfileSession;
  /** Operations in flight at once. */
  concurrency: number;
  /** Deletes and replaces run only when true; otherwise they are held back. */
  allowDelete: boolean;
  /** Adoptions of unrecorded live endpoints run only when true; otherwise they are held back. */
  adopt: boolean;
  /** Poll every touched endpoint until it is serving (or fails), within `timeoutMs`. */
  wait?: { timeoutMs: number; pollMs: number };
  onEvent?: (event: ApplyEvent) => void;
  /** Once aborted, no further operation starts (those in flight finish); `--wait` is skipped. */
  stop?: AbortSignal;
  /** The create intents, when the caller began recording them (recordCreateIntents); otherwise applyPlan does. */
  intents?: CreateIntents;
}

/** Create intents being recorded: `durable` resolves once they are, which every create waits for. */
export interface CreateIntents {
  /** Names whose intent an earlier, interrupted run left: their endpoint is looked for before creating. */
  earlier: ReadonlySet<string>;
  durable: Promise<void>;
}

/** What an operation turned out to do. A create that found its endpoint already there is an adoption. */
export type Outcome = 'created' | 'adopted' | 'updated' | 'moved' | 'replaced' | 'deleted' | 'forgotten';

export type ApplyEvent =
  | { type: 'started'; change: Change }
  | { type: 'finished'; change: Change; outcome: Outcome; id: string; url?: string; durationMs: number }
  | { type: 'failed'; change: Change; error: string; durationMs: number }
  /** A create whose endpoint already existed (lost response, interrupted run, appName taken) was adopted. */
  | { type: 'reconciled'; name: string; id: string }
  /** The URL of an endpoint this run created, read once all operations finished. */
  | { type: 'url'; name: string; id: string; url: string }
  | { type: 'waiting'; name: string; id: string }
  | { type: 'ready'; name: string; id: string; durationMs: number }
  | { type: 'wait-failed'; name: string; id: string; error: string; durationMs: number };

export interface ApplyCounts {
  created: number;
  updated: number;
  replaced: number;
  deleted: number;
  adopted: number;
  moved: number;
  forgotten: number;
}

export const emptyCounts = (): ApplyCounts => ({ created: 0, updated: 0, replaced: 0, deleted: 0, adopted: 0, moved: 0, forgotten: 0 });

export interface ApplyFailure {
  name: string;
  /** The planned action, or `wait` when the operation succeeded but the endpoint never served. */
  action: Action | 'wait';
  message: string;
}

export interface ApplyResult {
  counts: ApplyCounts;
  failures: ApplyFailure[];
  /** Guarded changes not carried out for want of their flag (no API call was made for them). */
  heldBack: Change[];
}

/** The flags that let apply carry out guarded changes. */
export type GuardFlags = Pick<ApplyInput, 'allowDelete' | 'adopt'>;
