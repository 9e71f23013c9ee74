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
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** `$.storage.files.0.path`, as Ignition prints paths. */
export function formatPath(path: ConfigPath | undefined): string {
  return path && path.length ? '$.' + path.join('.') : '$';
}
