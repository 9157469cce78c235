/**
 * The one home of secret masking: the markers a hidden value prints as, and the mask every
 * byte the CLI prints passes through. Plans hide secrets by field; this mask is the net
 * under everything else, above all API error messages that quote a value they refuse.
 */
import { printable } from './printable.js';

/** What a hidden value prints as. */
export const SENSITIVE = '(sensitive)';
/** A hidden value that the live state shows has changed. */
export const SENSITIVE_CHANGED = '(sensitive value changed)';

/**
 * A `${env:…}` value must be empty or at least this long. Masking a shorter value would
 * rewrite ordinary text (`1` in "Plan: 1 to create") and so reveal it by where it is missing.
 */
export const MIN_SECRET_LENGTH = 4;

const SECRET_KEY = /TOKEN|SECRET|PASSWORD|_KEY$/i;

/** Whether an env key names a secret (its plain value must not be shown anywhere). */
export function isSecretEnvKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export interface SecretMask {
  /** Adds values to hide from now on; empty strings are ignored. */
  add(values: Iterable<string>): void;
  /** The text with every secret that stands as a token replaced by `(sensitive)`. */
  mask(text: string): string;
}

export function createSecretMask(): SecretMask {
  const secrets = new Set<string>();
  let forms: string[] = [];
  return {
    add(values) {
      const before = secrets.size;
      for (const value of values) if (value !== '') secrets.add(value);
      if (secrets.size !== before) forms = printedForms(secrets);
    },
    mask: (text) => (forms.length === 0 ? text : maskTokens(text, forms)),
  };
}

/**
 * Every way a secret can reach the output: as it is, JSON-escaped (a JSON report, or an API
 * message quoting a JSON body), with control characters escaped by `printable`, and those
 * escaped once more. Longest first, so a secret containing another is hidden whole.
 */
function printedForms(secrets: ReadonlySet<string>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    for (const once of [secret, jsonEscaped(secret), printable(secret)]) {
      forms.add(once).add(jsonEscaped(once)).add(printable(once));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

/**
 * Characters that continue a word, a name or a path: a secret next to one is part of
 * something longer (`sdxl-turbo`, `endpoints/staging/api.yaml`) and is left alone.
 */
const JOINS_BEFORE = /[\p{L}\p{N}_./-]$/u;
const JOINS_AFTER = /^(?:[\p{L}\p{N}_/-]|\.[\p{L}\p{N}_])/u;
/** An escape (`\n`, `\t`, `\u0009`) ends in a letter or digit but separates like a space. */
const ESCAPE_BEFORE = /\\(?:[nrtbf"\\]|u[0-9a-fA-F]{4})$/;

function maskTokens(text: string, forms: readonly string[]): string {
  // For each form, where it next stands as a token (-1: nowhere further).
  const next = forms.map((form) => findToken(text, form, 0));
  let result = '';
  let copied = 0;
  for (;;) {
    let pick = -1;
    for (let i = 0; i < forms.length; i++) {
      if (next[i]! !== -1 && next[i]! < copied) next[i] = findToken(text, forms[i]!, copied);
      // At the same start the earlier form wins: forms are longest first.
      if (next[i]! !== -1 && (pick === -1 || next[i]! < next[pick]!)) pick = i;
    }
    if (pick === -1) break;
    result += text.slice(copied, next[pick]) + SENSITIVE;
    copied = next[pick]! + forms[pick]!.length;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

function findToken(text: string, form: string, from: number): number {
  for (let start = text.indexOf(form, from); start !== -1; start = text.indexOf(form, start + 1)) {
    if (standsAlone(text, start, start + form.length)) return start;
  }
  return -1;
}

function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 6), start);
  const joinedBefore = JOINS_BEFORE.test(before) && !ESCAPE_BEFORE.test(before);
  return !joinedBefore && !JOINS_AFTER.test(text.slice(end, end + 2));
}
