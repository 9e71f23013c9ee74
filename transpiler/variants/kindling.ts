// `variant: kindling`: a Butane pair (`base:`) plus Kindling's own sections. The network section
// becomes NetworkManager keyfiles, or systemd-networkd files on Flatcar, in the generated config,
// so a file the user writes at the same path still wins.
import type { Ctx } from '../core/context.js';
import type { Obj } from '../butane/tree.js';
import { readNetwork } from '../network/interfaces.js';
import { keyfiles } from '../network/keyfile.js';
import { networkdFiles } from '../network/networkd.js';
import { setDataSource } from '../sugar/base.js';
import type { VariantHooks } from './hook.js';

/** Which network renderer a base uses: Flatcar runs systemd-networkd, the others NetworkManager. */
export const networkRenderer = (variant: string): 'networkd' | 'nm' => (variant === 'flatcar' ? 'networkd' : 'nm');

function translateNetwork(ctx: Ctx, src: Obj, sugar: Obj): void {
  const net = readNetwork(ctx, src);
  if (!net || net.interfaces.length === 0) return;
  const files = networkRenderer(ctx.spec.variant) === 'networkd' ? networkdFiles(net) : keyfiles(net);
  const storage = (sugar.storage ??= {}) as Obj;
  const out = (storage.files ??= []) as Obj[];
  for (const f of files) {
    const contents: Obj = {};
    setDataSource(ctx, contents, Buffer.from(f.contents, 'utf8'), undefined);
    ctx.sugarProv.whole(['storage', 'files', out.length], f.at);
    out.push({ path: f.path, contents, mode: f.mode });
  }
}

export const kindling: VariantHooks = { sugar: translateNetwork };
