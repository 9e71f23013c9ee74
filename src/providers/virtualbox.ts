// VirtualBox: the guest property `/Ignition/Config`, read with `VBoxControl guestproperty get`
// (Ignition talks to /dev/vboxguest in-process). `/Ignition/Config/Encoding` must be empty: no
// encoding is defined yet. No property = no config. After the first boot `delConfig` deletes both
// properties. No network needed.
import type { Provider, ProviderContext } from './provider.js';

const CONFIG = '/Ignition/Config';
const ENCODING = '/Ignition/Config/Encoding';

/** The property's value, or null when it is not set. */
async function getProperty(ctx: ProviderContext, name: string): Promise<string | null> {
  const r = await ctx.host.run([ctx.host.tools.VBoxControl, '--nologo', 'guestproperty', 'get', name]);
  if (r.code === 0 && r.stdout.startsWith('Value: ')) {
    const v = r.stdout.slice('Value: '.length);
    return v.endsWith('\n') ? v.slice(0, -1) : v;
  }
  if (r.stdout.startsWith('No value set!')) return null;
  throw new Error(`fetching VirtualBox guest property ${JSON.stringify(name)}: ${(r.stderr || r.stdout).trim() || `exit status ${r.code}`}`);
}

async function deleteProperty(ctx: ProviderContext, name: string): Promise<void> {
  // `set` without a value deletes; every VBoxControl version knows it
  const r = await ctx.host.run([ctx.host.tools.VBoxControl, '--nologo', 'guestproperty', 'set', name]);
  if (r.code === 0) return;
  const why = (r.stderr || r.stdout).trim() || `exit status ${r.code}`;
  const hint = /permission|VERR_PERMISSION_DENIED|read-only/i.test(why) ? '; is the property read-only?' : '';
  throw new Error(`deleting VirtualBox guest property ${JSON.stringify(name)}: ${why}${hint}`);
}

export const virtualbox: Provider = {
  id: 'virtualbox',
  async fetch(ctx) {
    ctx.log.debug('reading Ignition config from VirtualBox guest property');
    const encoding = await getProperty(ctx, ENCODING);
    if (encoding) throw new Error(`unsupported ${JSON.stringify(ENCODING)} value ${JSON.stringify(encoding)}`);
    const config = await getProperty(ctx, CONFIG);
    if (config === null) {
      ctx.log.info(`VirtualBox guest property ${JSON.stringify(CONFIG)} does not exist; assuming no config`);
      return { config: null };
    }
    return { config: Buffer.from(config, 'utf8') };
  },
  async delConfig(ctx) {
    ctx.log.info('deleting Ignition config from VirtualBox guest property');
    await deleteProperty(ctx, ENCODING);
    await deleteProperty(ctx, CONFIG);
  },
};
