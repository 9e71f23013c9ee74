// Validation of a config that is already a plain object (e.g. the transpiler's output): the same
// decode, type and rule passes as parseIgnition, with paths but no source positions.
import { hasErrors, type Diagnostic } from '../diag/diagnostic.js';
import type { Version } from '../model/versions.js';
import { decode } from './decode.js';
import { checkTypes } from './types-check.js';
import { validateSemantics, type SemanticsOptions } from './validate.js';

export function checkConfig(obj: unknown, version: Version, opts: SemanticsOptions = {}): Diagnostic[] {
  const decoded = decode(obj, version);
  const out = checkTypes(decoded.config);
  if (!hasErrors(out)) out.push(...validateSemantics(decoded.config, version, opts));
  out.push(...decoded.diagnostics);
  return out;
}
