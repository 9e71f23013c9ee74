// What a lint check is and what it sees. A check looks at one config (the Butane YAML tree, the
// Ignition config it produces, the verdict Butane/Ignition gave) and reports findings with a
// stable code and a hint. Checks never change the verdict: they add findings, and may re-report a
// verdict note or warning under their own code when they say more about it (`claim`).
import type { ConfigPath, Diagnostic, Severity, SourceSpan } from '../diag/diagnostic.js';
import type { Obj } from '../../transpiler/butane/tree.js';
import type { VariantSpec } from '../../transpiler/butane/variants.js';
import type { Locator } from '../../transpiler/yaml/yaml.js';
import type { YNode } from '../../transpiler/yaml/ynode.js';
import type { Version } from '../model/versions.js';
import type { Slot, UnknownKey } from './yaml-walk.js';

/** A replacement of text[start, end) in the file, for --fix. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export interface Finding {
  message: string;
  hint?: string;
  /** Where: a source span, or a path of the Ignition config (located through the target). */
  source?: SourceSpan;
  path?: ConfigPath;
  severity?: Severity;
}

export interface LintTarget {
  file: string;
  text: string;
  format: 'butane' | 'ignition';
  /** Butane only: the pair, the parsed tree and positions. */
  spec?: VariantSpec;
  root?: YNode | null;
  loc?: Locator;
  /** The Ignition config (the pair's spec version for Butane, the latest for Ignition JSON); absent after errors. */
  config?: Obj;
  version?: Version;
  /** What transpile (Butane) or validate (Ignition) reported. */
  verdict: readonly Diagnostic[];
  filesDir?: string;
  /** openshift: checked as plain Ignition (`transpile --raw`). */
  raw: boolean;
  /** Where a path of `config` was written. */
  spanOf(path: ConfigPath): SourceSpan | undefined;
  /** Butane: every value and every unknown key of the YAML, walked once and shared by the checks. */
  walked(): Walked;
}

export interface Walked {
  slots: readonly Slot[];
  unknownKeys: readonly UnknownKey[];
}

export interface Reporter {
  report(f: Finding): void;
  /** Takes a verdict diagnostic out of the output: this check reports it under its own code. */
  claim(d: Diagnostic): void;
  /** A safe mechanical fix, applied by --fix. */
  fix(e: Edit): void;
}

export interface LintCheck {
  code: string;
  severity: Severity;
  /** One line: what the check finds. */
  summary: string;
  /** Butane input only. */
  butaneOnly?: boolean;
  /** Only offers fixes for a diagnostic Butane or Ignition reports (its code is that diagnostic's). */
  fixOnly?: boolean;
  run(t: LintTarget, r: Reporter): void;
}
