// State shared by the translation phases: the pair being translated, where decoded values came from,
// where each translated value came from, and the diagnostics collected so far.
import type { Diagnostic, Severity, SourceSpan } from '../../src/diag/diagnostic.js';
import { butaneName } from '../../src/model/spec.js';
import { Origins } from './decode.js';
import type { Obj, Path } from '../butane/tree.js';
import { SourceMap } from './provenance.js';
import type { LocalFiles } from './local.js';
import type { VariantSpec } from '../butane/variants.js';
import type { Locator } from '../yaml/yaml.js';

export class Ctx {
  readonly diagnostics: Diagnostic[] = [];
  /** Where each value of the user's translated config, and of the generated (sugar) config, came from. */
  readonly userSources = new SourceMap();
  readonly sugarSources = new SourceMap();

  constructor(
    readonly spec: VariantSpec,
    readonly origins: Origins,
    readonly loc: Locator,
    readonly local: LocalFiles,
    readonly failed: Set<string>,
    /** Whether inline data may be gzipped (TranspileOptions.compress). */
    readonly compress: boolean,
  ) {}

  /** Forgets the decoded positions and the source records (see TranspileResult.release). */
  release(): void {
    this.origins.clear();
    this.failed.clear();
    this.userSources.clear();
    this.sugarSources.clear();
  }

  /** True when a decode error already covers this decoded path. */
  isFailed(path: Path): boolean {
    for (let n = path.length; n >= 0; n--) if (this.failed.has(Origins.key(path.slice(0, n)))) return true;
    return false;
  }

  /** A diagnostic at a decoded path (or its nearest decoded ancestor). */
  report(severity: Severity, code: string, message: string, path: Path, hint?: string): void {
    this.diagnostics.push(this.at(severity, code, message, path, hint));
  }

  error(code: string, message: string, path: Path, hint?: string): void {
    this.report('error', code, message, path, hint);
  }

  warn(code: string, message: string, path: Path, hint?: string): void {
    this.report('warning', code, message, path, hint);
  }

  /** An error about a whole mapping entry, placed on its key (`bond0:`) rather than its value. */
  errorOnKey(code: string, message: string, path: Path, hint?: string): void {
    this.diagnostics.push(this.at('error', code, message, path, hint, true));
  }

  at(severity: Severity, code: string, message: string, path: Path, hint?: string, onKey = false): Diagnostic {
    const d: Diagnostic = { severity, code, message, path: yamlPathFor(this.origins, path), hint };
    const source = this.sourceAt(path, onKey);
    if (source) d.source = source;
    return d;
  }

  /** Where a decoded path (or its nearest decoded ancestor) is in the YAML: its value, or its key. */
  sourceAt(path: Path, onKey = false): SourceSpan | undefined {
    const near = this.origins.nearest(path);
    if (!near) return undefined;
    const r = (!near.exact || onKey) && near.origin.key ? near.origin.key : near.origin.value;
    return this.loc.span(r[0], r[1]);
  }
}

/** The YAML spelling of a decoded path: the recorded one, extended with snake_case for missing parts. */
export function yamlPathFor(origins: Origins, path: Path): Path {
  let n = path.length;
  while (n > 0 && !origins.get(path.slice(0, n))) n--;
  const base = origins.get(path.slice(0, n))?.yamlPath ?? path.slice(0, n);
  return [...base, ...path.slice(n).map((s) => (typeof s === 'string' ? butaneName(s) : s))];
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
