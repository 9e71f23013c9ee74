// OpenStack (and Brightbox, which runs OpenStack's code): the first of three sources to answer wins,
// as in Ignition: the config drives `config-2` and `CONFIG-2` (`/openstack/latest/user_data`,
// waited for without limit) and the metadata service (`/openstack/latest/user_data` on
// 169.254.169.254 and, per up interface with IPv6, on fe80::a9fe:a9fe%iface; a 404 = no config).
// A failing metadata service leaves the drives to answer. Needs the network: NeedNetError offline.
// Better than Ignition: among the metadata URLs, one failing fast does not end the metadata fetch
// while another may still succeed.
import os from 'node:os';
import { NeedNetError } from '../fetch/errors.js';
import { driveSource } from './configdrive.js';
import { nullIfNotFound, withMetadata } from './http.js';
import type { Provider, ProviderContext } from './provider.js';
import { firstSuccess } from './wait.js';

const USERDATA_PATH = '/openstack/latest/user_data';
const V4_URL = `http://169.254.169.254${USERDATA_PATH}`;
const V6_ADDR = 'fe80::a9fe:a9fe';

/** Up, non-loopback interfaces with an IPv6 address (libuv lists up and running ones only). */
function ipv6Interfaces(ctx: ProviderContext): string[] {
  if (ctx.seams.ipv6Interfaces) return ctx.seams.ipv6Interfaces;
  return Object.entries(os.networkInterfaces())
    .filter(([, addrs]) => (addrs ?? []).some((a) => !a.internal && a.family === 'IPv6'))
    .map(([name]) => name);
}

async function fromMetadataService(ctx: ProviderContext): Promise<Buffer | null> {
  const ifaces = ipv6Interfaces(ctx);
  return withMetadata(ctx, async (m) => {
    if (ifaces.length === 0) {
      ctx.log.info('No active IPv6 network interface found');
      return nullIfNotFound(m.fetch({ url: V4_URL }));
    }
    const attempts = [
      { url: V4_URL, run: () => m.fetch({ url: V4_URL }) },
      ...ifaces.map((iface) => ({
        url: `http://[${V6_ADDR}%${iface}]${USERDATA_PATH}`,
        run: () => m.fetch({ url: `http://[${V6_ADDR}]${USERDATA_PATH}`, pin: { host: `${V6_ADDR}%${iface}` } }),
      })),
    ];
    return nullIfNotFound(
      Promise.any(
        attempts.map((a) =>
          a.run().catch((e: unknown) => {
            ctx.log.error(`fetching configuration for ${a.url}: ${(e as Error).message}`);
            throw e;
          }),
        ),
      ).catch((e: unknown) => {
        throw e instanceof AggregateError ? e.errors.at(-1) : e;
      }),
    );
  });
}

async function fetchOpenStack(ctx: ProviderContext): Promise<{ config: Buffer | null }> {
  if (ctx.offline) throw new NeedNetError();
  const config = await firstSuccess<Buffer | null>(
    ctx,
    [
      driveSource(ctx, 'config drive (config-2)', 'config-2', USERDATA_PATH),
      driveSource(ctx, 'config drive (CONFIG-2)', 'CONFIG-2', USERDATA_PATH),
      { name: 'metadata service', run: (signal) => fromMetadataService({ ...ctx, signal }) },
    ],
    null,
  );
  return { config };
}

export const openstack: Provider = { id: 'openstack', fetch: fetchOpenStack };
export const brightbox: Provider = { id: 'brightbox', fetch: fetchOpenStack };
