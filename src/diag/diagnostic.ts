// The one problem type. Every phase (YAML, JSON, schema, rules, translation, runtime) reports
// Diagnostics; renderers turn the same list into Ignition's form, a pretty form, JSON, SARIF...
export type Severity = 'error' | 'warning' | 'info';

/** A path into the (output) config: object keys and 0-based list indices. */
export type ConfigPath = (string | number)[];

export interface SourceSpan {
  file?: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable identifier of the check, e.g. `path-not-absolute`. */
  code: string;
  message: string;
  path?: ConfigPath;
  source?: SourceSpan;
  hint?: string;
  /** Another place the problem involves, e.g. the first of two duplicate entries. */
  related?: Related;
}

export interface Related {
  /** What the place is, e.g. `first defined`. */
  message: string;
  path?: ConfigPath;
  source?: SourceSpan;
}

/**
 * For a problem between two places (duplicates): reports it at the later place in the file and
 * names the earlier one, whichever order the check visited them in.
 */
export function laterPlaceFirst(d: Diagnostic): void {
  const a = d.source;
  const b = d.related?.source;
  if (!a || !b || a.file !== b.file || b.line < a.line || (b.line === a.line && b.column <= a.column)) return;
  const r = d.related!;
  [d.source, r.source] = [b, a];
  [d.path, r.path] = [r.path, d.path];
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** `$.storage.files.0.path`, as Ignition prints paths. */
export function formatPath(path: ConfigPath | undefined): string {
  return path && path.length ? '$.' + path.join('.') : '$';
}
