/**
 * "did you mean" for unknown keys. Only computed for keys that failed validation, so its
 * cost never scales with the size of a valid project.
 */
export function suggestKey(unknown: string, allowed: readonly string[]): string | undefined {
  const wanted = unknown.toLowerCase();
  const tolerance = Math.max(1, Math.floor(unknown.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const key of allowed) {
    if (Math.abs(key.length - unknown.length) > tolerance) continue;
    const distance = editDistance(wanted, key.toLowerCase());
    if (distance <= tolerance && (best === undefined || distance < best.distance)) best = { key, distance };
  }
  return best?.key;
}

/** Levenshtein distance, counting a swap of two neighbouring letters as one edit. */
export function editDistance(a: string, b: string): number {
  // Three rolling rows (two back, previous, current) are all a swap needs.
  let twoBack = new Uint16Array(b.length + 1);
  let previous = Uint16Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, twoBack[j - 2]! + 1);
      current[j] = value;
    }
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return previous[b.length]!;
}
