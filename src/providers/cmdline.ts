// The kernel command line as a config source, asked before the system user.ign and the platform:
// `ignition.config.url=<url>` (any scheme Ignition fetches). Not a platform: `config: null` means
// "nothing here, ask the next source".
import * as fs from 'node:fs';
import type { Provider } from './provider.js';

/** `key=value` words of a kernel command line (quotes group words; the last of a key wins). */
export function parseKernelCmdline(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/(?:[^\s"]+|"[^"]*")+/g)) {
    const word = m[0].replace(/"/g, '');
    const eq = word.indexOf('=');
    if (eq < 0) out.set(word, '');
    else out.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return out;
}

export function readKernelCmdline(env: Readonly<Record<string, string | undefined>>): string {
  return fs.readFileSync(env.IGNITION_KERNEL_CMDLINE_PATH || '/proc/cmdline', 'utf8');
}

export const cmdline: Provider = {
  id: 'cmdline',
  async fetch(ctx) {
    const url = parseKernelCmdline(readKernelCmdline(ctx.env)).get('ignition.config.url');
    if (!url) return { config: null };
    return { config: await ctx.fetchResource({ source: url }) };
  },
};
