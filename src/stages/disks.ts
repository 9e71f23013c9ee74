// disks: partitions, RAID, LUKS, filesystems (src/disks does the work). Key files of LUKS volumes
// without clevis go into the state, for the files stage to write into the new root.
import { formatCommand, isNoOp, planDisks, runDisks } from '../disks/index.js';
import type { Stage } from './stage.js';

const dataUrl = (b: Buffer) => `data:;base64,${b.toString('base64')}`;

export const disks: Stage = {
  name: 'disks',
  liveRefusals(config) {
    const s = config.storage ?? {};
    const out: string[] = [];
    const devs = (['disks', 'raid', 'luks'] as const).filter((k) => (s[k]?.length ?? 0) > 0);
    if (devs.length > 0) out.push(`cannot apply disk modifications live (storage.${devs.join(', storage.')})`);
    if ((s.filesystems?.length ?? 0) > 0) out.push('cannot apply filesystems modifications live (storage.filesystems)');
    return out;
  },
  async plan(config, ctx) {
    if (isNoOp(config)) return { steps: [], errors: [] };
    const cmds = await planDisks(config, ctx.host, { devices: ctx.devices });
    return { steps: cmds.map((c) => ({ text: formatCommand(c) })), errors: [] };
  },
  async run(config, ctx) {
    if (isNoOp(config)) return;
    const r = await runDisks(config, ctx.host, {
      devices: ctx.devices,
      fetch: (res) => ctx.fetcher.toBuffer(res),
    });
    if (r.keyFiles.length > 0) {
      ctx.state.luksPersistKeyFiles = { ...ctx.state.luksPersistKeyFiles };
      for (const k of r.keyFiles) ctx.state.luksPersistKeyFiles[k.name] = dataUrl(k.contents);
    }
  },
};
