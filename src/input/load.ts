// Loads a user config in either form: Ignition JSON, or Butane YAML (a top-level `variant` key),
// which is transpiled in memory first, as Ignition does since 2.27.
import type { ConfigPath, Diagnostic, SourceSpan } from '../diag/diagnostic.js';
import type { Config } from '../generated/types.js';
import type { Version } from '../model/versions.js';
import { parseIgnition } from '../config/parse.js';

export interface LoadResult {
  config?: Config;
  version?: Version;
  diagnostics: Diagnostic[];
  text: string;
  /** 'butane' when the input was YAML. */
  format: 'ignition' | 'butane';
  /** For YAML input: where the YAML that produced a config path is, for runtime reports. */
  sourceOf?: (path: ConfigPath) => SourceSpan | undefined;
}

/** Butane YAML has a top-level `variant:` key; Ignition JSON starts with `{`. */
export function looksLikeButane(text: string): boolean {
  return !/^\s*[{[]/.test(text) && /^variant\s*:/m.test(text);
}

export async function loadConfig(input: Buffer | string, opts: { file?: string; filesDir?: string } = {}): Promise<LoadResult> {
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (looksLikeButane(text)) {
    const { loadButane } = await import('./load-butane.js');
    return loadButane(text, opts);
  }
  return { ...parseIgnition(input, opts), format: 'ignition' };
}
