// Validation throughput, in-process: a realistic ~3 KB config and a ~1 MB config.
import { readFileSync } from 'node:fs';
import { parseIgnition } from '../src/config/parse.js';

export interface Throughput {
  name: string;
  bytes: number;
  perSecond: number;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up) and returns runs per second. */
export function measure(fn: () => void, ms = 1500): number {
  const warm = performance.now();
  while (performance.now() - warm < 200) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

export function bigConfig(targetBytes: number): string {
  const base = JSON.parse(readFileSync('examples/webserver.ign', 'utf8'));
  const files = [];
  let size = 0;
  for (let k = 0; size < targetBytes; k++) {
    const f = { path: `/etc/app/conf.d/${k}.conf`, mode: 420, contents: { source: `data:,key%3Dvalue-${k}%0A` } };
    size += JSON.stringify(f).length + 1;
    files.push(f);
  }
  base.storage.files.push(...files);
  return JSON.stringify(base, null, 1);
}

export function benchValidate(): Throughput[] {
  const small = readFileSync('examples/webserver.ign', 'utf8');
  const large = bigConfig(1_000_000);
  const check = (text: string) => () => {
    const r = parseIgnition(text);
    if (!r.config) throw new Error('benchmark config is invalid');
  };
  return [
    { name: 'validate realistic config', bytes: small.length, perSecond: measure(check(small)) },
    { name: 'validate 1 MB config', bytes: large.length, perSecond: measure(check(large), 3000) },
  ];
}
