import { createRandom, pickRandomSeed, type Random } from '../../src/emulator/random.js';

/**
 * A random source for a test's schedule (kill moments, delays) whose seed is known: each run
 * explores a new one, a failure names it, and `PPIO_TEST_SEED=N` replays it exactly.
 */
export function seededRandom(): { seed: number; random: Random } {
  const fromEnv = process.env['PPIO_TEST_SEED'];
  const seed = fromEnv === undefined || fromEnv === '' ? pickRandomSeed() : Number(fromEnv);
  return { seed, random: createRandom(seed) };
}
