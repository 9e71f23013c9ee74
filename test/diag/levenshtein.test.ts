import { describe, expect, it } from 'vitest';
import { levenshtein } from '../../src/diag/suggest.js';
import { randomText, seededRandom } from '../support/random.js';

/** The textbook full-matrix edit distance, over UTF-16 code units. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', '')).toBe(3);
    expect(levenshtein('nginx.service', 'nginx.servcie')).toBe(2);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('agrees with the full matrix on random words', () => {
    const next = seededRandom(7);
    // Code units, so that some words hold half of the emoji's surrogate pair.
    const units = 'ab-_.é\u{1F600}'.split('');
    const word = () => randomText(next, units, 9);
    for (let k = 0; k < 2000; k++) {
      const a = word();
      const b = word();
      expect(levenshtein(a, b), `${a} / ${b}`).toBe(reference(a, b));
    }
  });
});
