// `--dry-run` for the disks stage: the exact commands the executor would run, computed by the same
// planners from a read-only probe of the machine. `planDisks` is pure; `probeDisks` only reads.
import type { Config, Disk } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { defaultPaths, defaultTools, type Paths, type Tools } from '../host/tools.js';
import { aliasPath, partitionNode } from './devices.js';
import { Runner } from './exec.js';
import { decideFilesystem, isBlockFilesystem, mkfsArgv } from './filesystems.js';
import { clevisBindArgv, hasClevis, luksFormatArgv, luksOpenArgv } from './luks.js';
import { DisksError, type FsProbe, type PartitionTable, type PlannedCommand } from './model.js';
import { decidePartitions, preparePretend, resolveWithPretend } from './partitions.js';
import { probeFs, readTable } from './probe.js';
import { mdadmArgv } from './raid.js';
import { isNoOp } from './run.js';

export interface ProbedState {
  /** Partition table per configured disk device (as it will be after any `wipeTable`). */
  tables: Record<string, PartitionTable>;
  /** `sgdisk --pretend` stdout per disk device ("" when nothing needed inspecting). */
  pretend: Record<string, string>;
  /** blkid result per filesystem/LUKS device; absent = blank. */
  signatures: Record<string, FsProbe>;
  /** Mounted or held partition numbers per disk device. */
  active?: Record<string, number[]>;
}

const BLANK: FsProbe = { type: '', uuid: '', label: '' };

/** Pure: config + probed state → ordered commands. Throws DisksError where the real run would fail. */
export function planDisks(config: Config, probed: ProbedState, env: { tools?: Tools; paths?: Paths } = {}): PlannedCommand[] {
  if (isNoOp(config)) return [];
  const tools = env.tools ?? defaultTools;
  const runDir = (env.paths ?? defaultPaths).runDir;
  const alias = (d: string) => aliasPath(runDir, d);
  const out: PlannedCommand[] = [];
  const s = config.storage ?? {};

  for (const disk of s.disks ?? []) {
    const dev = alias(disk.device);
    if (disk.wipeTable) out.push({ argv: [tools.sgdisk, '--zap-all', dev], why: `wipe the partition table of ${disk.device}` });
    const table = probed.tables[disk.device];
    if (!table) throw new DisksError(`no probed partition table for ${disk.device}`);
    const req = preparePretend(disk, table);
    if (req.options.length) out.push({ argv: [tools.sgdisk, '--pretend', ...req.options, dev], why: 'compute default starts and sizes' });
    const plan = decidePartitions(table, resolveWithPretend(req, probed.pretend[disk.device] ?? ''), {
      device: dev,
      active: new Set(probed.active?.[disk.device] ?? []),
    });
    if (plan.commit.length) out.push({ argv: [tools.sgdisk, ...plan.commit, dev], why: `write the partition table of ${disk.device}` });
    for (const [op, list] of [['delete', plan.deleted], ['update', plan.updated], ['add', plan.added]] as const)
      for (const n of list)
        out.push({ argv: [tools.partx, `--${op}`, '--nr', String(n), disk.device], why: `tell the kernel about ${partitionNode(disk.device, n)}` });
  }

  for (const md of s.raid ?? [])
    out.push({ argv: mdadmArgv(md, md.devices.map(alias), tools.mdadm), why: `create RAID ${md.name ?? ''}` });

  for (const l of s.luks ?? []) {
    const dev = alias(l.device);
    const key = `<keyfile:${l.name}>`;
    const found = probed.signatures[l.device] ?? BLANK;
    if (l.wipeVolume) out.push({ argv: [tools.wipefs, '-a', dev], why: `wipe ${l.device}` });
    else if (found.type === 'crypto_LUKS') {
      out.push({ argv: luksOpenArgv(l, dev, key, tools), why: `reuse LUKS volume ${l.name} if it matches` });
      continue;
    } else if (found.type)
      throw new DisksError(`volume is not of the correct type: volume at ${JSON.stringify(l.device)} is not of the correct type (found ${found.type}) and a volume wipe was not requested`);
    out.push({ argv: luksFormatArgv(l, dev, key, tools), why: `format LUKS2 volume ${l.name}` });
    out.push({ argv: luksOpenArgv(l, dev, key, tools), why: `open ${l.name}` });
    if (hasClevis(l)) out.push({ argv: clevisBindArgv(l, dev, key, tools), why: `bind clevis to ${l.name}` });
  }

  for (const fs of (s.filesystems ?? []).filter(isBlockFilesystem)) {
    const dev = alias(fs.device);
    const d = decideFilesystem(fs, probed.signatures[fs.device] ?? BLANK);
    if (d.action === 'skip') continue;
    out.push({ argv: [tools.wipefs, '-a', dev], why: `wipe signatures on ${fs.device}` });
    const argv = mkfsArgv(fs, dev, tools);
    if (argv) out.push({ argv, why: `create ${fs.format} on ${fs.device}` });
  }
  return out;
}

/** Reads what `planDisks` needs without writing anything (sgdisk runs with --pretend only). */
export async function probeDisks(config: Config, host: Host): Promise<ProbedState> {
  const run = new Runner(host);
  const st: ProbedState = { tables: {}, pretend: {}, signatures: {} };
  const s = config.storage ?? {};
  for (const disk of s.disks ?? []) {
    let table = await readTable(run, disk.device);
    if (disk.wipeTable) table = { sectorSize: table.sectorSize, partitions: [] };
    st.tables[disk.device] = table;
    st.pretend[disk.device] = await pretend(run, disk, table);
  }
  const devs = [...(s.luks ?? []).map((l) => l.device), ...(s.filesystems ?? []).filter(isBlockFilesystem).map((f) => f.device)];
  for (const d of devs) if (host.fs.existsSync(d)) st.signatures[d] = await probeFs(run, d);
  return st;
}

async function pretend(run: Runner, disk: Disk, table: PartitionTable): Promise<string> {
  const req = preparePretend(disk, table);
  if (!req.options.length) return '';
  // On a disk about to be wiped, --clear makes sgdisk start from an empty table in memory.
  const argv = [run.host.tools.sgdisk, '--pretend', ...(disk.wipeTable ? ['--clear'] : []), ...req.options, disk.device];
  return (await run.must(argv, 'failed to pretend to create partitions')).stdout;
}
