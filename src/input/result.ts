// What reading a user config gives, whichever form it was written in.
import type { ConfigPath, Diagnostic, SourceSpan } from '../diag/diagnostic.js';
import type { Config } from '../generated/types.js';
import type { Version } from '../model/versions.js';

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
