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

export interface LoadOptions {
  file?: string;
  filesDir?: string;
  /**
   * false: a Butane config comes as checked, without Butane's output form (Go's field order and
   * unset plain strings, empty values left out). The two carry the same config for Ignition, which
   * reads JSON as Go does; the form matters only where the config is written out (the config a boot
   * keeps), and making it costs a cold command about a million instructions.
   */
  output?: boolean;
}
