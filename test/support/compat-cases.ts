// Compatibility cases: small inputs written by hand (`*.yaml` under test/transpiler/compat and
// test/config/compat) with the verdicts the reference tools gave for them, recorded next to them in
// `*.recorded.json` by scripts/record-compat.ts (Butane v0.29.0 and ignition-validate v2.26.0, built
// from their tags). The tests check Kindling against the recorded verdicts; nothing here needs the
// reference tools.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface ButaneCase {
  name: string;
  /** What the case checks, in a few words. */
  about: string;
  input: string;
  /** Files of --files-dir (relative path → contents); absent: no --files-dir. */
  files?: Record<string, string>;
  /** openshift: --raw. */
  raw?: boolean;
  /** Our messages where they differ from Butane's: substrings that some diagnostic must contain. */
  ours?: string[];
}

export interface ButaneRecord {
  /** Exit status without and with --strict. */
  exit: [number, number];
  /** Butane's report entries and fatal errors, as `severity: message`. */
  messages: string[];
  /** Butane's compact stdout when the plain run succeeded. */
  output?: string;
}

export interface IgnitionCase {
  name: string;
  about: string;
  /** The config bytes, as text. */
  config: string;
  ours?: string[];
}

export interface IgnitionRecord {
  exit: number;
  verdict: 'valid' | 'warnings' | 'invalid';
  messages: string[];
}

export interface CaseFile<C, R> {
  file: string;
  cases: C[];
  records: Record<string, R>;
}

export function recordedPath(file: string): string {
  return file.replace(/\.yaml$/, '.recorded.json');
}

export function loadCaseFiles<C extends { name: string }, R>(dir: string): CaseFile<C, R>[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const cases = (parse(fs.readFileSync(file, 'utf8')) ?? []) as C[];
      const names = new Set<string>();
      for (const c of cases) {
        if (names.has(c.name)) throw new Error(`${file}: case ${c.name} is defined twice`);
        names.add(c.name);
      }
      const rec = recordedPath(file);
      const records = fs.existsSync(rec) ? (JSON.parse(fs.readFileSync(rec, 'utf8')) as Record<string, R>) : {};
      return { file, cases, records };
    });
}

/**
 * The entries of a reference tool's stderr, as `severity: message`: report lines
 * (`error at $.x, line 1 col 2: msg`) and fatal errors (`Error translating config: msg`).
 */
export function referenceMessages(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    let m = /^(error|warning|info) at [^:]*?(?:, line \d+ col \d+)?: (.*)$/.exec(line) ?? /^(error|warning|info): (.*)$/.exec(line);
    if (m) {
      out.push(`${m[1]}: ${m[2]}`);
      continue;
    }
    m = /^(?:Error translating config|couldn't parse config|failed to [^:]*): (.*)$/.exec(line);
    if (m && !/^(source config is invalid|config generated was invalid)$/.test(m[1])) out.push(`error: ${m[1]}`);
    else if (/^yaml: /.test(line)) out.push(`error: ${line}`);
  }
  return out;
}

/** The message part of a recorded entry. */
export function splitMessage(entry: string): { severity: string; message: string } {
  const i = entry.indexOf(': ');
  return { severity: entry.slice(0, i), message: entry.slice(i + 2) };
}
