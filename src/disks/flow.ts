// The disks stage, written once: partitions → RAID → LUKS → filesystems, in Ignition's order. The
// pure planners decide each step from read-only probes and hand it to a Driver: the live driver
// (live.ts) runs it, the dry driver (dry.ts) records it for `--dry-run` and predicts what earlier
// steps leave behind for the probes of later ones. So the dry run prints the plan the run executes.
import type { Config, Disk, Filesystem, Luks, Raid } from '../generated/types.js';
import type { CommandResult, Host } from '../host/host.js';
import { diskUsage, kernelPartitions, logicalSectorSize, type KernelPartition } from './devices.js';
import type { Runner } from './exec.js';
import { decideFilesystem, isBlockFilesystem, mkfsArgv } from './filesystems.js';
import { kernelMismatch, kernelSyncSteps } from './kernel.js';
import { canProveUnlock, clevisBindArgv, hasClevis, luksFormatArgv, luksOpenArgv } from './luks.js';
import { DisksError, type FsProbe, type PartitionTable, type Step } from './model.js';
import { decidePartitions, preparePretend, q, resolveWithPretend, type PartitionPlan } from './partitions.js';
import { probeFs, readTable } from './probe.js';
import { mdadmArgv, raidDevice } from './raid.js';

/** A device of the config, ready for the steps that use it. */
export interface Target {
  /** As the config names it. */
  device: string;
  /** What commands name it by: its alias under <runDir>/dev_aliases (made by the live driver). */
  alias: string;
  /** The resolved node; in a dry run, for a device an earlier step creates, the node it will have. */
  node: string;
  /** Where read-only probes look now: the alias (run) or the device itself (dry run). */
  probe: string;
  /** Dry run only: why what the device will hold cannot be probed now; reads after "<device> is". */
  unknown?: string;
}

export interface LuksKey {
  /** The `<…>` argument that stands for the key file in commands; the live driver substitutes its path. */
  token: string;
  /** No keyFile in the config: Kindling made up a random key. */
  generated: boolean;
  contents: Buffer;
}

/** A group of steps for one device, run in order; groups run concurrently (filesystems). */
export interface StepGroup {
  steps: Step[];
  /** Wait for udev on this device afterwards. */
  settle?: Target;
  /** Decided already that this device fails; reported with the other groups' errors. */
  error?: string;
}

export interface Driver {
  readonly host: Host;
  /** Runs the read-only probes that decide the plan; they are not steps of it. */
  readonly probes: Runner;
  /** Waits for the devices (run), checks each may be written to, returns them by config path. */
  prepare(devices: string[], ctxt: string): Promise<Map<string, Target>>;
  /** Runs (or records) one step; throws DisksError on failure. A dry run returns `<…>` as stdout. */
  step(s: Step): Promise<CommandResult>;
  /** Runs the groups concurrently; every group's error, joined by newlines, fails the call. */
  groups(list: StepGroup[], concurrency: number): Promise<void>;
  /** The table right after `sgdisk --zap-all`: read back (run) or an empty one (dry run). */
  tableAfterWipe(t: Target, sectorSize: number | undefined): Promise<PartitionTable>;
  /** `sgdisk --pretend <options>` output on the disk as it is now (after any wipe, or as if wiped). */
  pretend(t: Target, options: string[], wiped: boolean): Promise<{ out: string; note?: string }>;
  /** Before telling the kernel about a new table: let udev finish what sgdisk's re-read started. */
  beforeKernelSync(t: Target): Promise<void>;
  /** After the kernel sync: wait for udev and check sysfs (run), or note the new nodes (dry run). */
  partitioned(t: Target, plan: PartitionPlan, before: KernelPartition[], sectorSize: number): Promise<void>;
  /** A node this run made (RAID array, LUKS mapping) that later steps may write to; `how` reads after "<node> is". */
  produced(node: string, how: string, wait?: { ctxt: string }): Promise<void>;
  /** Waits until udev has processed a device we wrote to. */
  settle(t: Target): Promise<void>;
  /** Puts the volume's key into a private temporary file (run) or only names it (dry run). */
  luksKey(l: Luks): Promise<LuksKey>;
  releaseKey(key: LuksKey): void;
  /** Fetches each online tang server's advertisement before binding, for a clear error. */
  fetchTang(l: Luks): Promise<void>;
  /** Records what the files stage must write for a volume (crypttab line, key file). */
  luksDone(l: Luks, uuid: string, key: LuksKey): void;
}

/** The argument that stands for a volume's key file in planned commands. */
export function keyToken(l: Luks): string {
  return `<key-file:${l.name}>`;
}

export function isNoOp(config: Config): boolean {
  const s = config.storage ?? {};
  return !s.disks?.length && !s.raid?.length && !s.luks?.length && !s.filesystems?.length;
}

/** Runs the stage through `d`; failures carry Ignition's per-sub-stage prefixes. */
export async function disksFlow(config: Config, d: Driver, concurrency: number): Promise<void> {
  const s = config.storage ?? {};
  const phase = async (prefix: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      if (e instanceof DisksError) throw new DisksError(`${prefix}: ${e.message}`);
      throw e;
    }
  };
  if (s.disks?.length) await phase('create partitions failed', () => partitions(d, s.disks!));
  if (s.raid?.length) await phase('failed to create raids', () => raids(d, s.raid!));
  if (s.luks?.length) await phase('failed to create luks', () => luksVolumes(d, s.luks!));
  if (s.filesystems?.length) await phase('failed to create filesystems', () => filesystems(d, s.filesystems!.filter(isBlockFilesystem), concurrency));
}

// ---- partitions -------------------------------------------------------------------------

async function partitions(d: Driver, disks: Disk[]): Promise<void> {
  const targets = await d.prepare(
    disks.map((x) => x.device),
    'disks',
  );
  for (const disk of disks) await partitionDisk(d, disk, targets.get(disk.device)!);
}

async function partitionDisk(d: Driver, disk: Disk, t: Target): Promise<void> {
  const { host } = d;
  const sg = host.tools.sgdisk;
  const usage = diskUsage(host, t.node);
  if (usage.direct && usage.activePartitions.length === 0) throw new DisksError(`refusing to operate on directly active disk ${q(t.alias)}`);
  // The kernel's view before anything is written: what the kernel sync must clean up, whatever
  // sgdisk's own re-reads do to it in between.
  const before = kernelPartitions(host, t.node);
  let table: PartitionTable;
  if (disk.wipeTable) {
    if (usage.activePartitions.length) throw new DisksError(`refusing to wipe active disk ${q(t.alias)}`);
    host.log.info(`wiping partition table requested on ${q(t.alias)}`);
    await d.step({
      argv: [sg, '--zap-all', t.alias],
      why: `wipe the partition table of ${t.device} (a second time if sgdisk reports the old one corrupt)`,
      fail: 'create partitions failed',
      retry: true,
    });
    table = await d.tableAfterWipe(t, logicalSectorSize(host, t.node));
  } else {
    table = await readTable(d.probes, t.probe);
  }
  const req = preparePretend(disk, table);
  const pretend = req.options.length ? await d.pretend(t, req.options, disk.wipeTable === true) : { out: '' };
  const plan = decidePartitions(table, resolveWithPretend(req, pretend.out), { device: t.alias, active: new Set(usage.activePartitions) });
  for (const n of plan.notes) host.log.info(n);
  if (plan.commit.length)
    await d.step({
      argv: [sg, ...plan.commit, t.alias],
      why: `write the new partition table of ${t.device}`,
      note: pretend.note,
      fail: 'commit failure: create partitions failed',
    });
  // Nothing to write may still leave the kernel behind: a run cut off between writing this table
  // and telling the kernel (then only a re-read makes the partitions appear).
  if (!plan.commit.length && !disk.wipeTable && !kernelMismatch(before, plan.final, table.sectorSize, t.node)) return;
  await d.beforeKernelSync(t);
  for (const s of kernelSyncSteps(before, plan.final, table.sectorSize, t.node, host.tools.partx)) await d.step(s);
  await d.partitioned(t, plan, before, table.sectorSize);
}

// ---- RAID -------------------------------------------------------------------------------

async function raids(d: Driver, arrays: Raid[]): Promise<void> {
  const targets = await d.prepare(
    arrays.flatMap((a) => a.devices),
    'raids',
  );
  for (const md of arrays) {
    const members = md.devices.map((x) => targets.get(x)!);
    await d.step({
      argv: mdadmArgv(
        md,
        members.map((m) => m.alias),
        d.host.tools.mdadm,
      ),
      why: `create RAID array ${md.name ?? ''}`,
      fail: 'mdadm failed',
    });
    await d.produced(raidDevice(md), `created as RAID array ${md.name ?? ''} first`, { ctxt: 'raids' });
  }
}

// ---- LUKS -------------------------------------------------------------------------------

async function luksVolumes(d: Driver, vols: Luks[]): Promise<void> {
  const targets = await d.prepare(
    vols.map((l) => l.device),
    'luks',
  );
  for (const l of vols) await luksVolume(d, l, targets.get(l.device)!);
}

async function luksVolume(d: Driver, l: Luks, t: Target): Promise<void> {
  const tools = d.host.tools;
  const key = await d.luksKey(l);
  try {
    const keyNote = `${key.token} is a private temporary file that the run makes, holding ${key.generated ? 'a random key' : 'the key from keyFile'}`;
    let reused = false;
    if (l.wipeVolume) await d.step({ argv: [tools.wipefs, '-a', t.alias], why: `wipe ${l.device}`, fail: 'wipefs failed' });
    else reused = await reuseLuks(d, l, t, key.token, keyNote);
    if (!reused) {
      const assumed = t.unknown && !l.wipeVolume ? assumption(l.device, t.unknown, 'nothing') : undefined;
      await d.step({
        argv: luksFormatArgv(l, t.alias, key.token, tools),
        why: `format LUKS2 volume ${l.name}`,
        note: [assumed, keyNote].filter(Boolean).join('; '),
        fail: 'cryptsetup failed',
      });
      await d.step({ argv: luksOpenArgv(l, t.alias, key.token, tools), why: `open ${l.name}`, fail: 'opening luks device' });
      if (hasClevis(l)) await bindClevis(d, l, t, key.token);
      if (key.generated && hasClevis(l))
        // The user did not ask for this key; leave only the clevis binding.
        await d.step({
          argv: [tools.cryptsetup, 'luksRemoveKey', t.alias, key.token],
          why: `remove the generated key from ${l.name}: only clevis opens it`,
          fail: 'removing key file from luks device',
        });
      await d.settle(t);
    }
    await d.produced(`/dev/mapper/${l.name}`, reused ? `the reused LUKS volume ${l.name}, opened by the run` : `created as LUKS mapping ${l.name} first`);
    const uuid = await d.step({
      argv: [tools.cryptsetup, 'luksUUID', t.alias],
      why: `read the UUID of ${l.name} for /etc/crypttab`,
      fail: 'gathering luks uuid',
    });
    d.luksDone(l, uuid.stdout.trim(), key);
  } finally {
    d.releaseKey(key);
  }
}

/** The dry run's note where it could not probe a device that earlier steps create. */
function assumption(device: string, unknown: string, blank: string): string {
  return `${device} is ${unknown}: assumed to hold ${blank}, which the run checks first`;
}

const BLANK: FsProbe = { type: '', uuid: '', label: '' };

/**
 * wipeVolume false: an existing LUKS2 volume is reused when it matches and the key opens it (the
 * luksOpen step proves it); anything else on the device is refused. False: nothing there, format.
 */
async function reuseLuks(d: Driver, l: Luks, t: Target, keyFile: string, keyNote: string): Promise<boolean> {
  if (t.unknown) return false;
  const cs = d.host.tools.cryptsetup;
  if ((await d.probes.try([cs, 'isLuks', t.probe, '--type', 'luks2'])).code === 0) {
    const refuse = (why: string) =>
      new DisksError(`volume is not of the correct type: volume wipe was not requested and luks device ${q(l.device)} could not be reused: ${why}`);
    const why = await luksMismatch(d, l, t.probe);
    if (why) throw refuse(why);
    d.host.log.info(`volume at ${q(l.device)} is already correctly formatted. Skipping...`);
    await d.step({
      argv: luksOpenArgv(l, t.alias, keyFile, d.host.tools),
      why: `reuse LUKS volume ${l.name}: open it with the configured key`,
      note: keyNote,
      fail: refuse('failed to open device using specified keyfile').message,
      bare: true,
    });
    return true;
  }
  if ((await d.probes.try([cs, 'isLuks', t.probe])).code === 0) throw new DisksError(`${l.device} is a luks device but not luks2; Ignition cannot reuse it`);
  const found = await probeFs(d.probes, t.probe);
  if (found.type)
    throw new DisksError(
      `volume is not of the correct type: volume at ${q(l.device)} is not of the correct type (found ${found.type}) and a volume wipe was not requested`,
    );
  return false;
}

/** Ignition's reuse checks before the key is tried, in its order; undefined when they pass. */
async function luksMismatch(d: Driver, l: Luks, dev: string): Promise<string | undefined> {
  const cs = d.host.tools.cryptsetup;
  if (hasClevis(l)) return 'config must not specify clevis binding';
  if (!l.keyFile?.source) return 'config must specify keyfile';
  if (l.label !== undefined) {
    const found = await probeFs(d.probes, dev);
    if (found.label !== l.label) return `volume label ${q(found.label)} doesn't match expected label ${q(l.label)}`;
  }
  if (l.uuid !== undefined) {
    const u = (await d.probes.must([cs, 'luksUUID', dev], 'reading luks uuid')).stdout.trim();
    if (u !== l.uuid) return `volume UUID ${q(u)} doesn't match expected UUID ${q(l.uuid)}`;
  }
  const dump = await d.probes.must([cs, 'luksDump', '--dump-json-metadata', dev], 'reading luks metadata');
  const flags = (JSON.parse(dump.stdout) as { config?: { flags?: string[] } }).config?.flags ?? [];
  const discard = flags.includes('allow-discards');
  if (discard !== (l.discard === true)) return `volume allow-discards flag ${discard} doesn't match expected value ${l.discard === true}`;
  return undefined;
}

export async function bindClevis(d: Driver, l: Luks, t: Target, keyFile: string): Promise<void> {
  const tools = d.host.tools;
  await d.fetchTang(l);
  await d.step({ argv: clevisBindArgv(l, t.alias, keyFile, tools), why: `bind clevis to ${l.name}`, fail: 'binding clevis device' });
  if (!canProveUnlock(l)) return;
  await d.step({ argv: [tools.cryptsetup, 'luksClose', l.name], why: `close ${l.name} to prove that clevis opens it`, fail: 'closing luks device' });
  await d.step({
    argv: [tools.clevis, 'luks', 'unlock', '-d', t.alias, '-n', l.name],
    why: `reopen ${l.name} through clevis`,
    fail: `reopening luks device ${l.name}`,
  });
}

// ---- filesystems ------------------------------------------------------------------------

async function filesystems(d: Driver, fss: Filesystem[], concurrency: number): Promise<void> {
  const targets = await d.prepare(
    fss.map((f) => f.device),
    'filesystems',
  );
  const list: StepGroup[] = [];
  for (const fs of fss) {
    const t = targets.get(fs.device)!;
    const found = t.unknown ? BLANK : await probeFs(d.probes, t.probe);
    if (!t.unknown) d.host.log.info(`found ${found.type} filesystem at ${q(fs.device)} with uuid ${q(found.uuid)} and label ${q(found.label)}`);
    let decision;
    try {
      decision = decideFilesystem(fs, found);
    } catch (e) {
      if (!(e instanceof DisksError)) throw e;
      list.push({ steps: [], error: e.message });
      continue;
    }
    if (decision.action === 'skip') {
      d.host.log.info(decision.note);
      continue;
    }
    const note = t.unknown && !fs.wipeFilesystem ? assumption(fs.device, t.unknown, 'no filesystem') : undefined;
    const steps: Step[] = [{ argv: [d.host.tools.wipefs, '-a', t.alias], why: `wipe signatures on ${fs.device}`, note, fail: 'wipefs failed' }];
    const mkfs = mkfsArgv(fs, t.alias, d.host.tools);
    if (mkfs) steps.push({ argv: mkfs, why: `create ${fs.format} on ${fs.device}`, fail: 'mkfs failed' });
    list.push({ steps, settle: mkfs ? t : undefined });
  }
  await d.groups(list, concurrency);
}
