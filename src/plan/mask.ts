/**
 * Keeps secrets out of the plan. A plan is printed, posted to pull requests and
 * saved to disk, so no value that came from `${env:…}`, and no env value read from the
 * live side (only that it differs), may ever reach it.
 */
import { appendPointer, valueAtPointer } from '../common/json-pointer.js';
import { SENSITIVE, SENSITIVE_CHANGED } from '../common/secrets.js';
import { isTemplated } from '../common/template.js';
import type { EndpointConfig } from '../schema/endpoint-config.js';
import type { RawDiff } from './diff.js';
import type { FieldDiff } from './types.js';

const LIVE_ENV_VALUE = /^\/envs\/\d+\/value$/;

export interface MaskContext {
  /** Pointers (into the desired config) of interpolated values. */
  sensitivePaths: ReadonlySet<string>;
  /** `live`: before is the live endpoint (secrets resolved). `lockfile`: before is the recorded copy. */
  compareWith: 'live' | 'lockfile';
  /** The desired side of the comparison. */
  desired: EndpointConfig;
  /** The other side: live config or the lockfile's applied copy (undefined for a create). */
  current: EndpointConfig | undefined;
  /**
   * When comparing with live: the lockfile's applied copy, if any. A value it records as a
   * `${env:…}` template was a secret when applied, and the live side still holds it, even
   * if the spec now spells that field in plain text.
   */
  recorded?: EndpointConfig;
}

/** A raw difference with every secret replaced by a marker; `sensitive` set when any was. */
export function maskDiff(diff: RawDiff, context: MaskContext): FieldDiff {
  let masked = false;
  const hide = (value: unknown, hidden: (pointer: string, leaf: unknown) => boolean): unknown =>
    replaceLeaves(diff.path, value, (pointer, leaf) => {
      if (!hidden(pointer, leaf)) return leaf;
      masked = true;
      return SENSITIVE;
    });

  const result: FieldDiff = { path: diff.path };
  if (diff.before !== undefined) result.before = hide(diff.before, (pointer, leaf) => isHiddenCurrentValue(pointer, leaf, context));
  if (diff.after !== undefined) {
    // Most specs interpolate nothing: then no desired value is hidden, and nothing is copied.
    result.after = context.sensitivePaths.size === 0 ? diff.after : hide(diff.after, (pointer) => isSensitivePath(pointer, context.sensitivePaths));
    // Only a refresh against the live state can tell that the secret itself changed.
    const secretChanged = context.compareWith === 'live' && result.before === SENSITIVE && result.after === SENSITIVE;
    if (secretChanged) result.after = SENSITIVE_CHANGED;
  }
  if (masked) result.sensitive = true;
  return result;
}

/** The pointer or one of its ancestors is an interpolated value. */
function isSensitivePath(pointer: string, sensitivePaths: ReadonlySet<string>): boolean {
  if (sensitivePaths.size === 0) return false;
  for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
    if (sensitivePaths.has(p)) return true;
    if (p === '') return false;
  }
}

function isHiddenCurrentValue(pointer: string, leaf: unknown, context: MaskContext): boolean {
  if (isSensitivePath(pointer, context.sensitivePaths)) return true;
  if (typeof leaf === 'string' && isTemplated(leaf)) return true;
  // The lockfile holds no secret by construction (it is committed); the live side may.
  if (context.compareWith === 'lockfile') return false;
  // A live env value is never shown, only that it differs: whether it is a secret cannot be
  // decided from the spec or the lockfile, which the pull request being planned may edit.
  if (LIVE_ENV_VALUE.test(pointer)) return true;
  return wasRecordedAsSecret(pointer, context.recorded);
}

function wasRecordedAsSecret(pointer: string, recorded: EndpointConfig | undefined): boolean {
  const value = valueAtPointer(recorded, pointer);
  return typeof value === 'string' && isTemplated(value);
}

function replaceLeaves(pointer: string, value: unknown, replace: (pointer: string, leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item, i) => replaceLeaves(appendPointer(pointer, i), item, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceLeaves(appendPointer(pointer, key), item, replace)]));
  }
  return replace(pointer, value);
}
