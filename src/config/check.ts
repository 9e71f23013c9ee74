// The checks of a config that is already a plain object: decode (unknown keys, Go's JSON rules),
// types against the closed schema, then the semantic rules when the types are right. parseIgnition
// runs this same sequence on the JSON it reads; the transpiler runs it on its output.
import { hasErrors, type Diagnostic } from '../diag/diagnostic.js';
import type { Version } from '../model/versions.js';
import { decode, type Decoded } from './decode.js';
import { checkTypes } from './types-check.js';
import { validateSemantics, type SemanticsOptions } from './validate.js';

export interface CheckOptions extends SemanticsOptions {
  /** Problems the caller finds on the decoded config, reported (and, if errors, stopping the rules) like type errors. */
  typeProblems?: (decoded: Decoded) => Diagnostic[];
}

/** Problems with paths but no source positions. */
export function checkConfig(obj: unknown, version: Version, opts: CheckOptions = {}): Diagnostic[] {
  return checkDecoded(obj, version, opts).diagnostics;
}

/**
 * The semantic rules alone, for a config built field by field from the model of `version` (the
 * transpiler's output): Go's JSON decoding and the type check have nothing to find in it (the
 * transpiler tests hold every output to that), so they are not run again.
 */
export function checkModelBuilt(config: Record<string, unknown>, version: Version, opts: SemanticsOptions = {}): Diagnostic[] {
  return validateSemantics(config, version, opts);
}

/** The decoded config with its problems, for callers that map paths back to their input. */
export function checkDecoded(obj: unknown, version: Version, opts: CheckOptions = {}): { decoded: Decoded; diagnostics: Diagnostic[] } {
  const decoded = decode(obj, version);
  const out = [...(opts.typeProblems?.(decoded) ?? []), ...checkTypes(decoded.config)];
  if (!hasErrors(out)) out.push(...validateSemantics(decoded.config, version, opts));
  out.push(...decoded.diagnostics);
  return { decoded, diagnostics: out };
}
