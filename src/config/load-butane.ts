// Placeholder until the transpiler lands: Butane YAML input is recognised but not yet translated.
import type { LoadResult } from './load.js';

export async function loadButane(text: string, opts: { file?: string }): Promise<LoadResult> {
  return {
    diagnostics: [{ severity: 'error', code: 'butane-unsupported', message: 'Butane YAML input needs the transpiler (not built yet)', source: { file: opts.file, line: 1, column: 1 } }],
    text,
    format: 'butane',
  };
}
