// The shape of a semantic rule: one check JSON Schema can't express, with Ignition's message text,
// the spec versions it applies to, and the kind of object it looks at.
import type { ConfigPath, Severity } from '../../diag/diagnostic.js';
import type { Version } from '../../model/versions.js';

export interface RuleContext {
  version: Version;
  /** The whole (decoded) config, for rules that compare an object with others. */
  config: any;
  /** false: 3.7.0-experimental as Ignition v2.26 has it (no virtiofs), for Butane 0.29's view. */
  virtiofs?: boolean;
}

/** Where a rule fires, relative to the object it checked, and an optional message override. */
export interface Hit {
  at?: ConfigPath;
  message?: string;
  /** How to fix it, where one line can say (e.g. the accepted values). */
  hint?: string;
}

export interface Rule<N = any> {
  /** Stable identifier, used in output formats and docs. */
  code: string;
  severity: Severity;
  /** Ignition's message text. */
  message: string;
  /** Model object name (src/model/spec.ts) the rule runs on, once per occurrence. */
  on: string;
  since?: Version;
  until?: Version;
  check(node: N, ctx: RuleContext): boolean | Hit | Hit[] | undefined;
}

export const rule = <N = any>(r: Rule<N>): Rule<N> => r;

// Go's zero-value tests, used by almost every rule.
export const empty = (s: unknown): boolean => s === undefined || s === null || s === '';
export const isTrue = (b: unknown): boolean => b === true;
