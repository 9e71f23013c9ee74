// What the delivery commands carry: an Ignition config that was checked before it left the
// installing machine. Ignition JSON travels byte for byte; Butane YAML is transpiled here (with its
// local files resolved against the files dir), so Ignition reads the result as well as Kindling.
import type { Diagnostic } from '../diag/diagnostic.js';
import { looksLikeButane } from '../input/load.js';
import { parseIgnition } from '../config/parse.js';
import { formatResult, transpileButane } from '../../transpiler/transpile.js';
import { utf8Text } from '../host/utf8.js';

export interface Deliverable {
  /** The bytes to deliver; absent when the config has errors. */
  bytes?: Uint8Array;
  diagnostics: Diagnostic[];
  format: 'ignition' | 'butane';
  text: string;
}

export function deliverable(input: Uint8Array, opts: { file?: string; filesDir?: string } = {}): Deliverable {
  const text = utf8Text(input);
  if (looksLikeButane(text)) {
    const r = transpileButane(text, { file: opts.file, filesDir: opts.filesDir, raw: true });
    return { bytes: r.config ? Buffer.from(formatResult(r, false), 'utf8') : undefined, diagnostics: r.diagnostics, format: 'butane', text };
  }
  const r = parseIgnition(input, { file: opts.file });
  return { bytes: r.config ? input : undefined, diagnostics: r.diagnostics, format: 'ignition', text };
}
