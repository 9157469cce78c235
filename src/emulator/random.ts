import { randomInt } from 'node:crypto';

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny deterministic PRNG. Good enough to make fault injection and ids
 * reproducible with `--seed`; not for anything secret.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for an unseeded run, so every run still uses one code path. */
export function pickRandomSeed(): number {
  return randomInt(0, 2 ** 32 - 1);
}

/** 16 lowercase hex characters, the shape of the ids the service hands out. */
export function drawHexId(random: Random): string {
  const word = () =>
    Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return word() + word();
}
