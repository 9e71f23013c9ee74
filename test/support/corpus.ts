// The shared reference corpus (../shared/corpus beside the checkout), for every test that reads it.
// Locally a missing corpus skips those tests with a printed reason; in CI (env CI set) it fails the
// test file loudly instead, so a broken checkout cannot pass by skipping.
import fs from 'node:fs';
import path from 'node:path';

export const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

/** The directory of a corpus set (`transpile`, `validate`, `apply`, `boot`, `providers`), or undefined locally when it is missing. */
export function corpusDir(set: string): string | undefined {
  const dir = path.join(CORPUS, set);
  if (fs.existsSync(dir)) return dir;
  const why = `the reference corpus set ${set} is missing at ${dir} (../shared/corpus beside the checkout)`;
  if (process.env.CI) throw new Error(`${why}; CI needs it`);
  console.warn(`${why}: its tests are skipped`);
  return undefined;
}

/** The rows of a set's `cases.tsv` (tab separated, header line), keyed by column; none when the set is missing. */
export function corpusRows(set: string): Record<string, string>[] {
  const dir = corpusDir(set);
  if (!dir) return [];
  const [head, ...lines] = fs.readFileSync(path.join(dir, 'cases.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])));
}
