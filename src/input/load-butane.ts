// Butane YAML given where an Ignition config is expected: transpiled in memory (plain Ignition,
// also for openshift), then translated to the latest spec like any JSON config. Diagnostics point
// at the YAML the user wrote.
import type { Config } from '../generated/types.js';
import { transpileButane } from '../../transpiler/transpile.js';
import type { LoadOptions, LoadResult } from './result.js';
import { translate } from '../config/translate.js';

export async function loadButane(text: string, opts: LoadOptions): Promise<LoadResult> {
  // Uncompressed: the config is applied or described here, never written out as JSON, so Butane's
  // gzip of inline data would be a cold deflate whose output the files stage inflates again.
  const r = transpileButane(text, { file: opts.file, filesDir: opts.filesDir, raw: true, compress: false, output: opts.output });
  if (!r.config || !r.ignitionVersion) return { diagnostics: r.diagnostics, text, format: 'butane' };
  return {
    config: translate(r.config, r.ignitionVersion) as Config,
    version: r.ignitionVersion,
    diagnostics: r.diagnostics,
    text,
    format: 'butane',
    sourceOf: r.sourceOf,
  };
}
