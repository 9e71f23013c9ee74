// Loads a user config in either form: Ignition JSON, or Butane YAML (a top-level `variant` key),
// which is transpiled in memory first, as Ignition does since 2.27.
import type { LoadResult } from './result.js';
import { parseIgnition } from '../config/parse.js';

export type { LoadResult } from './result.js';

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
