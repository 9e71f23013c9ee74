// What a first boot would do with a config, stage by stage, computed on this machine without
// touching it: the stages' own dry-run plans (kargs, mount, and files against a fresh root held in
// memory) plus a description of the storage the disks stage would create. Nothing is fetched and
// no block device is probed: the target machine's disks are not this machine's.
import type { ConfigPath } from '../diag/diagnostic.js';
import { planMount } from '../disks/mount.js';
import { formatCommand } from '../disks/plan.js';
import type { ResourceFetcher } from '../fetch/resource-fetcher.js';
import { redactUrl } from '../fetch/redact.js';
import type { Config, Partition } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { networkNeeds } from '../stages/fetch-offline.js';
import { kargs as kargsStage } from '../stages/kargs.js';
import type { StageContext, StageName } from '../stages/stage.js';
import { planFilesStage } from '../stages/files/plan/plan.js';
import { snapshotView, type RootView } from '../stages/files/rootview.js';
import { planSteps } from '../stages/files/plan/describe.js';
import { emptyState } from '../stages/state.js';

export interface PreviewStep {
  text: string;
  configPath?: ConfigPath;
}

export interface PreviewSection {
  stage: StageName;
  /** One line saying what the stage does overall. */
  summary: string;
  steps: PreviewStep[];
  errors: { message: string; configPath?: ConfigPath; hint?: string }[];
}

/** The target root in the initramfs, as the units pass it. */
export const SYSROOT = '/sysroot';

/** The stages' fetcher in a preview, which fetches nothing: a stage that asked for one would be a bug here. */
const refuse = () => Promise.reject(new Error('internal error: the first-boot preview fetches nothing'));
const NO_FETCHER: ResourceFetcher = { toFile: refuse, toBuffer: refuse, close: async () => {} };

export async function previewFirstBoot(config: Config, o: { host: Host }): Promise<PreviewSection[]> {
  const ctx: StageContext = { root: SYSROOT, host: o.host, state: emptyState(), fetcher: NO_FETCHER, mode: 'boot', userConfigProvided: true };
  const out: PreviewSection[] = [];

  const needs = networkNeeds(config);
  out.push({
    stage: 'fetch-offline',
    summary: needs.length
      ? 'the config references remote resources: the initramfs brings the network up for the later stages'
      : 'nothing in the config needs the network',
    steps: needs.map((n) => ({ text: `needs the network: ${redactUrl(n.what)}`, configPath: n.path })),
    errors: [],
  });

  const kargs = (await kargsStage.plan?.(config, ctx)) ?? { steps: [], errors: [] };
  out.push({ stage: 'kargs', summary: kargs.steps.length ? 'edits the boot loader entries, then reboots' : 'no kernel arguments to change', ...kargs });

  const storage = describeStorage(config);
  out.push({
    stage: 'disks',
    summary: storage.length
      ? 'creates this storage (exact commands depend on the disks: `kindling apply --dry-run --disks` shows them on real devices)'
      : 'no disks, RAID, LUKS or filesystems to set up',
    steps: storage,
    errors: [],
  });

  const mounts = planMount(config, SYSROOT, o.host.tools);
  out.push({
    stage: 'mount',
    summary: mounts.mount.length ? `mounts the filesystems with a path under ${SYSROOT}` : 'nothing to mount',
    steps: mounts.mount.map((c) => ({ text: formatCommand(c) })),
    errors: [],
  });

  // Against a fresh OS root, held in memory: only root in its account database, so every user and
  // file is new. The planner is the stage's own; nothing on this machine is read or written.
  const files = planSteps(
    planFilesStage(config, freshRoot(), { root: SYSROOT, mode: 'boot', userConfigProvided: true, tools: o.host.tools, paths: o.host.paths }),
  );
  out.push({ stage: 'files', summary: 'users and groups, then files, directories, links and units, then the result file', ...files });
  out.push({
    stage: 'umount',
    summary: mounts.umount.length ? 'unmounts them again, deepest first (at switch-root)' : 'nothing to unmount',
    steps: mounts.umount.map((c) => ({ text: formatCommand(c) })),
    errors: [],
  });
  return out;
}

/** An OS root that has only root in its account files (what useradd and groupadd need). */
function freshRoot(): RootView {
  return snapshotView({
    '/': { kind: 'dir' },
    '/etc': { kind: 'dir' },
    '/etc/passwd': { kind: 'file', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    '/etc/group': { kind: 'file', content: 'root:x:0:\n' },
    '/etc/shadow': { kind: 'file', content: 'root:*:19000:0:99999:7:::\n', mode: 0o640 },
    '/etc/gshadow': { kind: 'file', content: 'root:*::\n', mode: 0o640 },
  });
}

/** The storage a config asks for, one line per disk, partition, array, volume and filesystem. Pure. */
export function describeStorage(config: Config): PreviewStep[] {
  const s = config.storage ?? {};
  const out: PreviewStep[] = [];
  (s.disks ?? []).forEach((d, i) => {
    out.push({ text: `disk ${d.device}${d.wipeTable ? ': wipe the partition table' : ''}`, configPath: ['storage', 'disks', i] });
    (d.partitions ?? []).forEach((p, j) => out.push({ text: `  ${describePartition(p)}`, configPath: ['storage', 'disks', i, 'partitions', j] }));
  });
  (s.raid ?? []).forEach((r, i) =>
    out.push({
      text: `RAID ${r.level} /dev/md/${r.name} from ${r.devices.join(', ')}${r.spares ? ` (${r.spares} spare)` : ''}`,
      configPath: ['storage', 'raid', i],
    }),
  );
  (s.luks ?? []).forEach((l, i) => {
    const tang = l.clevis?.tang?.length ?? 0;
    const unlock =
      [l.keyFile?.source ? 'a key file' : undefined, tang ? `${tang} tang server(s)` : undefined, l.clevis?.tpm2 ? 'the TPM2' : undefined]
        .filter(Boolean)
        .join(' and ') || 'a random key';
    out.push({
      text: `LUKS2 volume ${l.name} on ${l.device}, unlocked by ${unlock}${l.wipeVolume ? ' (wiped first)' : ''}`,
      configPath: ['storage', 'luks', i],
    });
  });
  (s.filesystems ?? []).forEach((f, i) => {
    const label = f.label ? ` "${f.label}"` : '';
    out.push({
      text: `${f.format ?? 'filesystem'}${label} on ${f.device}${f.wipeFilesystem ? ' (wiped first)' : ''}${f.path ? `, mounted at ${f.path}` : ''}`,
      configPath: ['storage', 'filesystems', i],
    });
  });
  return out;
}

function describePartition(p: Partition): string {
  const name = `partition ${p.number || '(next free)'}${p.label ? ` "${p.label}"` : ''}`;
  if (p.shouldExist === false) return `${name}: delete`;
  const start = p.startMiB ? `at ${p.startMiB} MiB` : 'at the first free place';
  const size = p.sizeMiB ? `${p.sizeMiB} MiB` : 'the largest free extent';
  return `${name}: ${start}, ${size}${p.wipePartitionEntry ? ' (replacing a mismatching entry)' : ''}`;
}
