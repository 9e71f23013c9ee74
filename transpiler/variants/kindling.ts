// `variant: kindling`: a Butane pair (`base:`) plus Kindling's own sections. The network section
// becomes NetworkManager keyfiles, or systemd-networkd files on Flatcar, in the generated config,
// so a file the user writes at the same path still wins.
import type { Ctx } from '../core/context.js';
import type { Butane, Draft } from '../butane/tree.js';
import { addEntry } from '../core/draft.js';
import { readNetwork } from '../network/interfaces.js';
import { keyfiles } from '../network/keyfile.js';
import { networkdFiles } from '../network/networkd.js';
import { setDataSource } from '../sugar/base.js';
import type { VariantHooks } from './hook.js';

/** Which network renderer a base uses: Flatcar runs systemd-networkd, the others NetworkManager. */
export const networkRenderer = (variant: string): 'networkd' | 'nm' => (variant === 'flatcar' ? 'networkd' : 'nm');

function translateNetwork(ctx: Ctx, src: Butane.Config, sugar: Draft): void {
  const net = readNetwork(ctx, src);
  if (!net || net.interfaces.length === 0) return;
  const files = networkRenderer(ctx.spec.variant) === 'networkd' ? networkdFiles(net) : keyfiles(net);
  for (const f of files) {
    const contents = {};
    setDataSource(ctx, contents, Buffer.from(f.contents, 'utf8'), undefined);
    addEntry(sugar, ctx.sugarSources, 'storage', 'files', { path: f.path, contents, mode: f.mode }, f.at);
  }
}

export const kindling: VariantHooks = { sugar: translateNetwork };
