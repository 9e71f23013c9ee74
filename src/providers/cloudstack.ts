// Apache CloudStack: the first to answer wins, as in Ignition: the config drives `config-2` and
// `CONFIG-2` (`/cloudstack/userdata/user_data.txt`, waited for without limit) and the metadata
// service, which is the DHCP server of the first interface with a systemd-networkd lease
// (`/run/systemd/netif/leases/<ifindex>`, `SERVER_ADDRESS=`, polled every 500 ms):
// `http://<server>/latest/user-data` (a 404 = no config). Needs the network: NeedNetError offline.
import path from 'node:path';
import { NeedNetError } from '../fetch/errors.js';
import { driveSource } from './configdrive.js';
import { nullIfNotFound, withMetadata } from './http.js';
import { sysPath } from './kernel.js';
import type { Provider, ProviderContext } from './provider.js';
import { firstSuccess, pollUntil, scaled } from './wait.js';

const USERDATA_FILE = '/cloudstack/userdata/user_data.txt';
export const DEFAULT_LEASE_DIR = '/run/systemd/netif/leases';
const LEASE_POLL_MS = 500;

/** Interface indexes in order (Go's net.Interfaces order), from sysfs. */
function interfaceIndexes(ctx: ProviderContext): number[] {
  const { fs } = ctx.host;
  const dir = sysPath(ctx, 'class/net');
  const out: number[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    try {
      out.push(Number(fs.readFileSync(path.join(dir, name, 'ifindex'), 'utf8').trim()));
    } catch {
      // an interface that vanished meanwhile
    }
  }
  return out.filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b);
}

/** `SERVER_ADDRESS` of a networkd lease file. Pure. */
export function leaseServerAddress(lease: string): string | null {
  for (const line of lease.split('\n')) {
    const parts = line.split('=');
    if (parts[0] === 'SERVER_ADDRESS' && parts.length === 2) return parts[1] || null;
  }
  return null;
}

async function dhcpServerAddress(ctx: ProviderContext): Promise<string> {
  const { fs } = ctx.host;
  const dir = ctx.seams.leaseDir ?? DEFAULT_LEASE_DIR;
  const lease = await pollUntil(
    async () => {
      for (const index of interfaceIndexes(ctx)) {
        const file = path.join(dir, String(index));
        if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
      }
      return undefined;
    },
    scaled(ctx, LEASE_POLL_MS),
    ctx.signal,
    () => ctx.log.debug('No leases found. Waiting...'),
  );
  const address = leaseServerAddress(lease);
  if (!address) throw new Error('dhcp server address not found in leases');
  return address;
}

async function fromMetadataService(ctx: ProviderContext): Promise<Buffer | null> {
  const addr = await dhcpServerAddress(ctx);
  const host = addr.includes(':') ? `[${addr}]` : addr;
  return withMetadata(ctx, (m) => nullIfNotFound(m.fetch({ url: `http://${host}/latest/user-data` })));
}

export const cloudstack: Provider = {
  id: 'cloudstack',
  async fetch(ctx) {
    if (ctx.offline) throw new NeedNetError();
    const config = await firstSuccess<Buffer | null>(
      ctx,
      [
        driveSource(ctx, 'config drive (config)', 'config-2', USERDATA_FILE),
        driveSource(ctx, 'config drive (CONFIG)', 'CONFIG-2', USERDATA_FILE),
        { name: 'metadata service', run: (signal) => fromMetadataService({ ...ctx, signal }) },
      ],
      null,
    );
    return { config };
  },
};
