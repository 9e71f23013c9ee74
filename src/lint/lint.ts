// Lints one config: the verdict Butane (transpile) or Ignition (validate) gives, exactly as those
// commands give it, plus the lint checks, minus what the disable comments and --disable silence.
// Pure apart from the files-dir reads of transpiling; the CLI reads and writes files.
import { hasErrors, type ConfigPath, type Diagnostic, type SourceSpan } from '../diag/diagnostic.js';
import { LineIndex } from '../diag/lines.js';
import { locate, valueEnd } from '../config/json.js';
import { parseIgnition } from '../config/parse.js';
import { looksLikeButane, looksLikeMachineConfig } from '../input/load.js';
import { binaryKind, notTextDiagnostic } from '../input/text.js';
import { transpileButane, type TranspileResult } from '../../transpiler/transpile.js';
import type { LocalFiles } from '../../transpiler/core/local.js';
import { Locator } from '../../transpiler/yaml/yaml.js';
import type { Edit, LintCheck, LintTarget, Walked } from './check.js';
import { walkButane, type Slot, type UnknownKey } from './yaml-walk.js';
import { CHECKS } from './checks/index.js';
import { disableComments, isDisabled } from './suppress.js';
import { utf8Text } from '../host/utf8.js';

export interface LintOptions {
  filesDir?: string;
  /** openshift: lint the plain Ignition output (`transpile --raw`). */
  raw?: boolean;
  /** Codes silenced everywhere (--disable). */
  disabled?: ReadonlySet<string>;
  /** The checks to run (tests); all of them by default. */
  checks?: readonly LintCheck[];
  /** Gzip inline data as Butane does (tests: it changes no diagnostic); off, lint skips the deflate. */
  compress?: boolean;
  /** The files directory's reader, shared by the files of a batch (readingOnce); one over filesDir by default. */
  local?: LocalFiles;
}

export interface FileResult {
  file: string;
  format: 'butane' | 'ignition' | 'other';
  diagnostics: Diagnostic[];
  /** Safe fixes, not overlapping, in file order. */
  edits: Edit[];
}

const at1 = (file: string): SourceSpan => ({ file, line: 1, column: 1 });
const NOTHING_WALKED: Walked = { slots: [], unknownKeys: [] };

/** What the text is: a Butane config, an Ignition config, or neither (with why). */
export function configKind(text: string): 'butane' | 'ignition' | { not: string; hint: string } {
  if (looksLikeButane(text)) return 'butane';
  if (/^\s*\{/.test(text)) return 'ignition';
  if (text.trim() === '') return { not: 'not a config: the file is empty', hint: 'a Butane config starts with `variant:` and `version:`' };
  if (looksLikeMachineConfig(text))
    return { not: 'not a Butane or Ignition config: this is an OpenShift MachineConfig', hint: 'lint the Butane config it was made from' };
  return {
    not: 'not a config: neither Butane YAML (no top-level `variant:`) nor Ignition JSON',
    hint: 'a Butane config starts with `variant:` and `version:`; an Ignition config is a JSON object with `ignition.version`',
  };
}

/** A file found by searching is checked when it is a config: Butane YAML, or JSON with an `ignition` object. */
export function looksLikeConfig(text: string): boolean {
  const kind = configKind(text);
  return kind === 'butane' || (kind === 'ignition' && /"ignition"\s*:\s*\{/.test(text));
}

export function lintSource(file: string, input: Uint8Array | string, opts: LintOptions = {}): FileResult {
  const binary = typeof input === 'string' ? undefined : binaryKind(input);
  if (binary) return { file, format: 'other', diagnostics: [notTextDiagnostic(binary, file)], edits: [] };
  const text = typeof input === 'string' ? input : utf8Text(input);
  const kind = configKind(text);
  if (typeof kind === 'object')
    return {
      file,
      format: 'other',
      diagnostics: [{ severity: 'error', code: 'not-a-config', message: kind.not, source: at1(file), hint: kind.hint }],
      edits: [],
    };
  if (kind === 'ignition') return runChecks(ignitionTarget(file, input, opts), opts);
  const r = transpileButane(text, { file, filesDir: opts.filesDir, local: opts.local, raw: !!opts.raw, compress: !!opts.compress, output: false });
  try {
    return runChecks(butaneTarget(file, text, r, opts), opts);
  } finally {
    // The findings hold their places: the transpiler's records can go (see TranspileResult.release).
    r.release?.();
  }
}

function butaneTarget(file: string, text: string, r: TranspileResult, opts: LintOptions): LintTarget {
  const t: LintTarget = {
    file,
    text,
    format: 'butane',
    verdict: r.diagnostics,
    filesDir: opts.filesDir,
    raw: !!opts.raw,
    spanOf: (p) => r.sourceOf?.(p),
    walked: () => NOTHING_WALKED,
  };
  const spec = r.variant;
  const parsed = r.yaml;
  if (!spec || !parsed) return t;
  let walked: Walked | undefined;
  const walk = (): Walked => {
    if (walked) return walked;
    const w = { slots: [] as Slot[], unknownKeys: [] as UnknownKey[] };
    walkButane(parsed.root, spec, { slot: (s) => w.slots.push(s), unknownKey: (u) => w.unknownKeys.push(u) });
    return (walked = w);
  };
  return { ...t, spec, root: parsed.root, loc: new Locator(file, parsed.lines), config: r.config, version: r.ignitionVersion, walked: walk };
}

function ignitionTarget(file: string, input: Uint8Array | string, opts: LintOptions): LintTarget {
  const r = parseIgnition(input, { file });
  const lines = new LineIndex(r.text);
  const spanOf = (p: ConfigPath): SourceSpan => {
    const start = locate(r.text, p);
    const end = lines.position(valueEnd(r.text, start));
    return { file, ...lines.position(start), endLine: end.line, endColumn: end.column };
  };
  return {
    file,
    text: r.text,
    format: 'ignition',
    verdict: r.diagnostics,
    config: r.config as LintTarget['config'],
    version: r.version,
    raw: !!opts.raw,
    spanOf,
    walked: () => NOTHING_WALKED,
  };
}

function runChecks(t: LintTarget, opts: LintOptions): FileResult {
  const disabledEverywhere = opts.disabled ?? new Set<string>();
  const comments = t.format === 'butane' ? disableComments(t.text) : new Map();
  const claimed = new Set<Diagnostic>();
  const found: Diagnostic[] = [];
  const edits: { edit: Edit; code: string }[] = [];
  const lines = t.loc?.lines ?? new LineIndex(t.text);
  const checks = opts.checks ?? CHECKS;
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    if (disabledEverywhere.has(check.code) || (check.butaneOnly && t.format !== 'butane')) continue;
    check.run(t, {
      report(f) {
        if (check.fixOnly) return;
        const source = f.source ?? (f.path ? t.spanOf(f.path) : undefined) ?? at1(t.file);
        const d: Diagnostic = { severity: f.severity ?? check.severity, code: check.code, message: f.message, source };
        if (t.format === 'ignition' && f.path) d.path = f.path;
        if (f.hint) d.hint = f.hint;
        found.push(d);
      },
      claim(d) {
        claimed.add(d);
      },
      fix(edit) {
        edits.push({ edit, code: check.code });
      },
    });
  }
  // The verdict's errors always stay; anything else can be silenced.
  const silenced = (d: Diagnostic, lintOwn: boolean) =>
    (lintOwn || d.severity !== 'error') && (disabledEverywhere.has(d.code) || isDisabled(comments, d.source?.line, d.code));
  const diagnostics = [...t.verdict.filter((d) => !claimed.has(d) && !silenced(d, false)), ...found.filter((d) => !silenced(d, true))];
  sortByPlace(diagnostics, t.file);
  const kept = edits.filter((e) => !isDisabled(comments, lines.position(e.edit.start).line, e.code)).map((e) => e.edit);
  return { file: t.file, format: t.format, diagnostics, edits: nonOverlapping(kept) };
}

function sortByPlace(diags: Diagnostic[], file: string): void {
  const key = (d: Diagnostic) => (d.source ? d.source.line * 1e6 + d.source.column : 0);
  const other = (d: Diagnostic) => (d.source?.file === file || d.source?.file === undefined ? 0 : 1);
  diags.sort((a, b) => other(a) - other(b) || key(a) - key(b));
}

function nonOverlapping(edits: Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Edit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) continue;
    if (last && e.start === last.start && e.end === last.end) continue;
    out.push(e);
  }
  return out;
}

/** The text with the edits applied (they are sorted and do not overlap). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Whether the result fails the run: an error, or with `strict` a warning. */
export function fails(r: FileResult, strict: boolean): boolean {
  return hasErrors(r.diagnostics) || (strict && r.diagnostics.some((d) => d.severity === 'warning'));
}
