// The test platform: the config is the file named by IGNITION_CONFIG_FILE, or `config.ign` in the
// working directory. A missing file is an error, as in Ignition.
import path from 'node:path';
import { goPathError } from './goerror.js';
import type { Provider } from './provider.js';

export const file: Provider = {
  id: 'file',
  async fetch(ctx) {
    let name = ctx.env.IGNITION_CONFIG_FILE ?? '';
    if (name === '') {
      name = 'config.ign';
      ctx.log.info('using default filename');
    }
    ctx.log.info(`using config file at ${JSON.stringify(name)}`);
    try {
      return { config: ctx.host.fs.readFileSync(path.resolve(ctx.cwd, name)) };
    } catch (e) {
      const err = goPathError('open', name, e);
      ctx.log.error(`couldn't read config ${JSON.stringify(name)}: ${err.message}`);
      throw err;
    }
  },
};
