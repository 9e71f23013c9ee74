// Records what the reference tools say about the compatibility cases (test/*/compat/*.yaml) into
// the `*.recorded.json` beside each file, and shows where Kindling disagrees.
//
//   BUTANE=/path/to/butane-v0.29.0 IGNITION_VALIDATE=/path/to/ignition-validate-v2.26.0 \
//     npx tsx scripts/record-compat.ts [--all] [FILE.yaml...]
//
// Without FILE, every case file is recorded. Each case where Kindling's verdict differs from the
// reference is printed (with --all, every case). Without the environment variables nothing is
// recorded, and Kindling is compared with the verdicts recorded before. The reference tools are
// the upstream releases Butane v0.29.0 and ignition-validate v2.26.0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIgnition } from '../src/config/parse.js';
import { formatResult, transpileButane } from '../transpiler/transpile.js';
import {
  loadCaseFiles,
  recordedPath,
  referenceMessages,
  type ButaneCase,
  type ButaneRecord,
  type IgnitionCase,
  type IgnitionRecord,
} from '../test/support/compat-cases.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const showAll = args.includes('--all');
const only = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));

function run(bin: string, argv: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync(bin, argv, { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function butaneFiles(c: ButaneCase, dir: string): string | undefined {
  if (!c.files) return undefined;
  const fd = path.join(dir, `${c.name}.files`);
  for (const [rel, body] of Object.entries(c.files)) {
    fs.mkdirSync(path.dirname(path.join(fd, rel)), { recursive: true });
    fs.writeFileSync(path.join(fd, rel), body);
  }
  return fd;
}

function recordButane(c: ButaneCase, bin: string, dir: string): ButaneRecord {
  fs.writeFileSync(path.join(dir, `${c.name}.bu`), c.input);
  const fd = butaneFiles(c, dir);
  const flags = ['--raw-errors', ...(fd ? ['--files-dir', path.basename(fd)] : []), ...(c.raw ? ['--raw'] : [])];
  const plain = run(bin, [...flags, `${c.name}.bu`], dir);
  const strict = run(bin, [...flags, '--strict', `${c.name}.bu`], dir);
  const rec: ButaneRecord = { exit: [plain.code, strict.code], messages: referenceMessages(plain.err) };
  if (plain.code === 0) rec.output = plain.out.replace(/\n$/, '');
  return rec;
}

function kindlingButane(c: ButaneCase, dir: string): ButaneRecord {
  const fd = butaneFiles(c, dir);
  const opts = { file: `${c.name}.bu`, filesDir: fd, raw: c.raw };
  const plain = transpileButane(c.input, opts);
  const strict = transpileButane(c.input, { ...opts, strict: true });
  const rec: ButaneRecord = { exit: [plain.config ? 0 : 1, strict.config ? 0 : 1], messages: plain.diagnostics.map((d) => `${d.severity}: ${d.message}`) };
  if (plain.config) rec.output = formatResult(plain, false).replace(/\n$/, '');
  return rec;
}

function recordIgnition(c: IgnitionCase, bin: string, dir: string): IgnitionRecord {
  fs.writeFileSync(path.join(dir, `${c.name}.ign`), c.config);
  const r = run(bin, [`${c.name}.ign`], dir);
  const messages = referenceMessages(r.out + r.err);
  const verdict = r.code !== 0 ? 'invalid' : messages.length ? 'warnings' : 'valid';
  return { exit: r.code, verdict, messages };
}

function kindlingIgnition(c: IgnitionCase): IgnitionRecord {
  const r = parseIgnition(Buffer.from(c.config), { file: `${c.name}.ign` });
  const errors = r.diagnostics.some((d) => d.severity === 'error');
  return {
    exit: errors ? 1 : 0,
    verdict: errors ? 'invalid' : r.diagnostics.length ? 'warnings' : 'valid',
    messages: r.diagnostics.map((d) => `${d.severity}: ${d.message}`),
  };
}

function process_<C extends { name: string }, R extends { exit: unknown; messages: string[] }>(
  dir: string,
  bin: string | undefined,
  record: (c: C, bin: string, tmp: string) => R,
  ours: (c: C, tmp: string) => R,
  same: (a: R, b: R) => boolean,
): void {
  for (const cf of loadCaseFiles<C, R>(dir)) {
    if (only.length && !only.includes(cf.file)) continue;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-'));
    const out: Record<string, R> = {};
    try {
      for (const c of cf.cases) {
        const ref = bin ? record(c, bin, tmp) : cf.records[c.name];
        const mine = ours(c, tmp);
        if (ref) out[c.name] = ref;
        if (showAll || !ref || !same(ref, mine)) {
          const mark = ref && same(ref, mine) ? 'same' : 'DIFF';
          console.log(`${mark} ${path.relative(root, cf.file)} ${c.name}`);
          console.log(`  reference: ${JSON.stringify(ref?.exit)} ${ref?.messages.join(' | ')}`);
          console.log(`  kindling:  ${JSON.stringify(mine.exit)} ${mine.messages.join(' | ')}`);
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    if (bin) fs.writeFileSync(recordedPath(cf.file), JSON.stringify(out, null, 2) + '\n');
  }
}

const sameButane = (a: ButaneRecord, b: ButaneRecord) => a.exit[0] === b.exit[0] && a.exit[1] === b.exit[1] && a.output === b.output;
const sameIgnition = (a: IgnitionRecord, b: IgnitionRecord) => a.verdict === b.verdict;

process_<ButaneCase, ButaneRecord>(path.join(root, 'test/transpiler/compat'), process.env.BUTANE, recordButane, kindlingButane, sameButane);
process_<IgnitionCase, IgnitionRecord>(
  path.join(root, 'test/config/compat'),
  process.env.IGNITION_VALIDATE,
  recordIgnition,
  (c) => kindlingIgnition(c),
  sameIgnition,
);
