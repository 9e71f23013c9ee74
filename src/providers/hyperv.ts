// Hyper-V: the config is a key-value pair the host pushes over KVP, in pool 0: `ignition.config`,
// or, when the config was split, `ignition.config.0`, `.1`, ... concatenated. The pairs are read
// from the KVP pool files (`/var/lib/hyperv/.kvp_pool_N`: records of a 512-byte key and a
// 2048-byte value, NUL-padded), which hv_kvp_daemon keeps. Ignition instead registers with
// /dev/vmbus/hv_kvp itself; here the daemon must have run in the initramfs first. As in Ignition,
// every pool is also handed to the files stage, which writes it into the real root (0600) so the
// daemon there starts with the same pairs (the host sends them only once). No network needed.
import path from 'node:path';
import { loadModuleUnless } from './kernel.js';
import type { Provider, ProviderContext, ProviderFile } from './provider.js';

export const KVP_KEY_SIZE = 512;
export const KVP_VALUE_SIZE = 2048;
const RECORD = KVP_KEY_SIZE + KVP_VALUE_SIZE;
const POOLS = 5;
export const DEFAULT_KVP_DIR = '/var/lib/hyperv';
const SINGLE_KEY = 'ignition.config';
const SPLIT_PREFIX = 'ignition.config.';

export interface KvpPair {
  key: string;
  value: string;
}

const cString = (b: Buffer) => {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
};

/** The records of one pool file (a trailing partial record is ignored). Pure. */
export function parseKvpPool(data: Buffer): KvpPair[] {
  const out: KvpPair[] = [];
  for (let off = 0; off + RECORD <= data.length; off += RECORD) {
    const key = cString(data.subarray(off, off + KVP_KEY_SIZE));
    if (key === '') continue; // a deleted slot
    out.push({ key, value: cString(data.subarray(off + KVP_KEY_SIZE, off + RECORD)) });
  }
  return out;
}

/** The pool file bytes for `pairs` (libhvee's EncodePoolFile). Pure. */
export function encodeKvpPool(pairs: readonly KvpPair[]): Buffer {
  const out = Buffer.alloc(pairs.length * RECORD);
  pairs.forEach((p, i) => {
    out.write(p.key, i * RECORD, KVP_KEY_SIZE, 'utf8');
    out.write(p.value, i * RECORD + KVP_KEY_SIZE, KVP_VALUE_SIZE, 'utf8');
  });
  return out;
}

/** The config held by pool 0: the single key, else the split keys in order. Pure. */
export function kvpConfig(pool0: readonly KvpPair[]): string {
  const get = (key: string) => pool0.find((p) => p.key === key)?.value;
  const single = get(SINGLE_KEY);
  if (single) return single;
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const part = get(`${SPLIT_PREFIX}${i}`);
    if (part === undefined) break;
    parts.push(part);
  }
  return parts.join('');
}

function readPools(ctx: ProviderContext, dir: string): KvpPair[][] {
  const pools: KvpPair[][] = [];
  for (let id = 0; id < POOLS; id++) {
    const file = path.join(dir, `.kvp_pool_${id}`);
    pools.push(ctx.host.fs.existsSync(file) ? parseKvpPool(ctx.host.fs.readFileSync(file)) : []);
  }
  return pools;
}

export const hyperv: Provider = {
  id: 'hyperv',
  async fetch(ctx) {
    try {
      await loadModuleUnless(ctx, 'bus/vmbus/drivers/hv_utils', 'hv_utils', 'loading hv_utils kernel module');
    } catch (e) {
      throw new Error(`loading hv_utils kernel module: ${(e as Error).message}`);
    }
    const dir = ctx.seams.kvpDir ?? DEFAULT_KVP_DIR;
    const pools = readPools(ctx, dir);
    const ign = kvpConfig(pools[0]);
    if (ign) ctx.log.debug('found the config in KVP pool 0');
    else ctx.log.info(`no Ignition config in KVP pool 0 (${path.join(dir, '.kvp_pool_0')})`);
    const files: ProviderFile[] = pools.map((pairs, id) => ({
      path: path.posix.join(DEFAULT_KVP_DIR, `.kvp_pool_${id}`),
      contents: encodeKvpPool(pairs).toString('base64'),
      mode: 0o600,
    }));
    return { config: ign ? Buffer.from(ign, 'utf8') : null, files };
  },
};
