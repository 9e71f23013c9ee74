// Shared by the renderers: the files they produce, and INI-style text (NetworkManager keyfiles and
// systemd-networkd files are both `[section]` + `key=value` lines).
import type { Path } from '../butane/tree.js';

export interface NetFile {
  path: string;
  mode: number;
  contents: string;
  /** The YAML entry the file renders (its provenance). */
  at: Path;
}

export type Section = [name: string, entries: [string, string | number | boolean | undefined][]];

/** Sections with no set entry are left out, unless listed in `keepEmpty`. */
export function ini(sections: Section[], keepEmpty: string[] = []): string {
  const out: string[] = [];
  for (const [name, entries] of sections) {
    const set = entries.filter(([, v]) => v !== undefined);
    if (set.length === 0 && !keepEmpty.includes(name)) continue;
    if (out.length) out.push('');
    out.push(`[${name}]`, ...set.map(([k, v]) => `${k}=${String(v)}`));
  }
  return out.join('\n') + '\n';
}
