// Sizes of what `npm run build` ships: the boot bundle (against its budget in bench/budgets.json,
// which test/bundle/boot-bundle.test.ts enforces) with its code cache, and the CLI's programs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export function benchBundleSize(): Record<string, string> {
  const dist = path.join(repo, 'dist');
  const size = (f: string) => fs.statSync(path.join(dist, f)).size;
  if (!fs.existsSync(path.join(dist, 'kindling-boot.cjs'))) throw new Error('no dist/kindling-boot.cjs: run npm run build');
  const budgets = JSON.parse(fs.readFileSync(path.join(repo, 'bench/budgets.json'), 'utf8')) as Record<string, number>;
  const boot = size('kindling-boot.cjs');
  const budget = budgets['dist/kindling-boot.cjs'];
  const out: Record<string, string> = {
    'dist/kindling-boot.cjs': `${kib(boot)} (budget ${kib(budget)}, ${((boot / budget) * 100).toFixed(0)} %; the test allows 110 %)`,
    'dist/kindling-boot.cache (V8 code cache)': fs.existsSync(path.join(dist, 'kindling-boot.cache')) ? kib(size('kindling-boot.cache')) : 'missing',
  };
  const programs = fs.readdirSync(path.join(dist, 'kindling')).filter((f) => f.endsWith('.js'));
  out['dist/kindling.cjs (CLI loader)'] = kib(size('kindling.cjs'));
  out['dist/kindling/ (CLI programs)'] = programs.map((f) => `${path.basename(f, '.js')} ${kib(size(`kindling/${f}`))}`).join(', ');
  return out;
}
