// Seeded random inputs for property tests: the same inputs on every run, so a failure repeats.

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fewer than `max` of `atoms`, drawn with `next` and joined, each followed by what `after` gives. */
export function randomText(next: () => number, atoms: readonly string[], max: number, after: () => string = () => ''): string {
  let s = '';
  for (let n = Math.floor(next() * max); n > 0; n--) s += atoms[Math.floor(next() * atoms.length)] + after();
  return s;
}
