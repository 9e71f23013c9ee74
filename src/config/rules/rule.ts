// The shape of a semantic rule: one check JSON Schema can't express, with Ignition's message text,
// the spec versions it applies to, and the model object it looks at, typed by the generated types
// (a rule sees its object after the type check, before requiredness and enumerations are checked).
import type { ConfigPath, Severity } from '../../diag/diagnostic.js';
import type { Config } from '../../generated/types.js';
import type { Version } from '../../model/versions.js';
import type { ObjectName, Unchecked, UncheckedObject } from '../unchecked.js';

export interface RuleContext {
  version: Version;
  /** The whole (decoded) config, for rules that compare an object with others. */
  config: Unchecked<Config>;
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

export interface Rule<K extends ObjectName = ObjectName> {
  /** Stable identifier, used in output formats and docs. */
  code: string;
  severity: Severity;
  /** Ignition's message text. */
  message: string;
  /** The model object (src/model/spec.ts) the rule runs on, once per occurrence. */
  on: K;
  since?: Version;
  until?: Version;
  check(node: UncheckedObject<K>, ctx: RuleContext): boolean | Hit | Hit[] | undefined;
}

export const rule = <K extends ObjectName>(r: Rule<K>): Rule<K> => r;

// Go's zero-value tests, used by almost every rule.
export const empty = (s: unknown): boolean => s === undefined || s === null || s === '';
export const isTrue = (b: unknown): boolean => b === true;
