// The shared reference material (../shared beside the checkout: the corpus and its tools), for
// every test that reads it. Locally a missing piece skips those tests with a printed reason; in CI
// (env CI set) it fails the test file loudly instead, so a broken checkout cannot pass by skipping.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../shared', import.meta.url));

/** A path under ../shared, or undefined (with the reason printed) when it is missing locally. */
export function sharedPath(rel: string): string | undefined {
  const p = path.join(SHARED, rel);
  if (fs.existsSync(p)) return p;
  const why = `${p} is missing (../shared beside the checkout)`;
  if (process.env.CI) throw new Error(`${why}; CI needs it`);
  console.warn(`${why}: the tests that need it are skipped`);
  return undefined;
}

/** The directory of a corpus set (`transpile`, `validate`, `apply`, `boot`, `providers`, `tools`). */
export const corpusDir = (set: string): string | undefined => sharedPath(path.join('corpus', set));

/** The rows of a set's `cases.tsv` (tab separated, header line), keyed by column; none when the set is missing. */
export function corpusRows(set: string): Record<string, string>[] {
  const dir = corpusDir(set);
  if (!dir) return [];
  const [head, ...lines] = fs.readFileSync(path.join(dir, 'cases.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}
