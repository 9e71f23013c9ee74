// VMware: the guestinfo variables `ignition.config.data` and `ignition.config.data.encoding`
// (none, base64, gzip or gzip+base64), else the same two properties in the OVF environment
// (`guestinfo.ovfenv`); the direct variables win. Read with `vmware-rpctool "info-get guestinfo.X"`
// (Ignition talks to the backdoor in-process). Outside VMware there is no provider:
// `config provider was not online`. After the first boot `delConfig` overwrites the config with
// `e30K` (base64 of "{}\n") and drops it from the OVF environment. No network needed.
import { commandError } from '../host/host.js';
import { decodeBase64, gunzip } from './decode.js';
import { deleteOvfProperties, readOvfProperties } from './ovfenv.js';
import type { Provider, ProviderContext } from './provider.js';

const DATA = 'ignition.config.data';
const ENCODING = 'ignition.config.data.encoding';
const OVFENV = 'ovfenv';
const DELETED_DATA = 'e30K';
const DELETED_ENCODING = 'base64';
const NOT_VMWARE = 'Failed sending message to VMware';

export class NoProviderError extends Error {
  constructor() {
    super('config provider was not online');
    this.name = 'NoProviderError';
  }
}

/** Go's `%q` of a string. */
const q = (s: string) => JSON.stringify(s);

/** Undoes `ignition.config.data.encoding`. Pure. */
export function decodeGuestinfo(data: string, encoding: string): Buffer {
  const b64 = (s: string) => {
    try {
      return decodeBase64(s);
    } catch (e) {
      throw new Error(`unable to decode base64: ${q((e as Error).message)}`);
    }
  };
  switch (encoding) {
    case '':
      return Buffer.from(data, 'utf8');
    case 'b64':
    case 'base64':
      return b64(data);
    case 'gz':
    case 'gzip':
      return gunzip(Buffer.from(data, 'latin1'));
    case 'gz+base64':
    case 'gzip+base64':
    case 'gz+b64':
    case 'gzip+b64':
      return gunzip(b64(data));
    default:
      throw new Error(`unsupported encoding ${q(encoding)}`);
  }
}

/** `info-get guestinfo.<key>`: the value, or `fallback` when the variable is not set. */
async function infoGet(ctx: ProviderContext, key: string, fallback: string): Promise<string> {
  const argv = [ctx.host.tools['vmware-rpctool'], `info-get guestinfo.${key}`];
  const r = await ctx.host.run(argv);
  if (r.code === 0) return r.stdout.endsWith('\n') ? r.stdout.slice(0, -1) : r.stdout;
  if (r.stderr.includes(NOT_VMWARE)) throw new NoProviderError();
  if (r.code === 1) return fallback; // "No value found"
  throw new Error(commandError(argv, r));
}

async function infoSet(ctx: ProviderContext, key: string, value: string): Promise<void> {
  const argv = [ctx.host.tools['vmware-rpctool'], `info-set guestinfo.${key} ${value}`];
  const r = await ctx.host.run(argv);
  if (r.code !== 0) throw new Error(r.stderr.includes(NOT_VMWARE) ? new NoProviderError().message : commandError(argv, r));
}

export const vmware: Provider = {
  id: 'vmware',
  async fetch(ctx) {
    let ovfData = '';
    let ovfEncoding = '';
    const env = await infoGet(ctx, OVFENV, '');
    if (env !== '') {
      ctx.log.debug('using OVF environment from guestinfo');
      try {
        const props = readOvfProperties(env);
        ovfData = props.get(`guestinfo.${DATA}`) ?? '';
        ovfEncoding = props.get(`guestinfo.${ENCODING}`) ?? '';
      } catch (e) {
        ctx.log.warn(`failed to parse OVF environment: ${(e as Error).message}. Continuing...`);
      }
    }
    const data = await infoGet(ctx, DATA, ovfData);
    const encoding = await infoGet(ctx, ENCODING, ovfEncoding);
    const config = decodeGuestinfo(data, encoding);
    ctx.log.debug('config successfully fetched');
    return { config: config.length ? config : null };
  },
  async delConfig(ctx) {
    const wrap = (what: string) => (e: unknown) => {
      throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
    };
    const orig = await infoGet(ctx, DATA, DELETED_DATA).catch(wrap('getting config property'));
    if (orig !== DELETED_DATA) {
      ctx.log.info('deleting config from guestinfo properties');
      await infoSet(ctx, DATA, DELETED_DATA).catch(wrap('replacing config'));
      const origEncoding = await infoGet(ctx, ENCODING, '').catch(wrap('getting config encoding property'));
      if (origEncoding !== DELETED_ENCODING) await infoSet(ctx, ENCODING, DELETED_ENCODING).catch(wrap('replacing config encoding'));
    }
    const env = await infoGet(ctx, OVFENV, '').catch(wrap('reading OVF environment'));
    if (env !== '') {
      const pruned = deleteOvfProperties(env, [`guestinfo.${DATA}`, `guestinfo.${ENCODING}`]);
      if (pruned.removed) {
        ctx.log.info('deleting config from OVF environment');
        await infoSet(ctx, OVFENV, pruned.doc).catch(wrap('replacing OVF environment'));
      }
    }
  },
};
