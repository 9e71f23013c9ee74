// The test platform: the config is the file named by IGNITION_CONFIG_FILE, or ./config.ign.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Provider } from './provider.js';

export const file: Provider = {
  id: 'file',
  async fetch(ctx) {
    const p = ctx.env.IGNITION_CONFIG_FILE || path.join(ctx.cwd, 'config.ign');
    try {
      return { config: fs.readFileSync(p) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`open ${p}: no such file or directory`);
      throw new Error(`open ${p}: ${(e as Error).message}`);
    }
  },
};
