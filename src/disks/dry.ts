// The driver behind `--dry-run`: records each step instead of running it, and predicts for the
// probes of later sub-stages what the earlier steps leave behind (new partitions, arrays and
// mappings: their contents are left to the run, and the plan says so). It only reads.
import os from 'node:os';
import path from 'node:path';
import type { Luks } from '../generated/types.js';
import type { CommandResult, Host } from '../host/host.js';
import { aliasPath, diskSectors, isPartitionOf, logicalSectorSize, partitionNode, type KernelPartition } from './devices.js';
import { Runner } from './exec.js';
import { keyToken, type Driver, type LuksKey, type StepGroup, type Target } from './flow.js';
import { DeviceGuard } from './guard.js';
import { DisksError, type PartitionTable, type PlannedCommand, type Step } from './model.js';
import { q, type PartitionPlan } from './partitions.js';
import { readTable } from './probe.js';

export class DryDriver implements Driver {
  readonly probes: Runner;
  readonly plan: PlannedCommand[] = [];
  private readonly guard?: DeviceGuard;
  /** Nodes that earlier steps create or rewrite → why what they hold is not known now. */
  private readonly created = new Map<string, string>();
  /** Partition nodes that earlier steps delete. */
  private readonly deleted = new Set<string>();
  /** Disks whose table earlier steps rewrite: /dev/disk/by-* links into them may move. */
  private readonly repartitioned = new Set<string>();

  /** Without `devices` nothing is checked against an allowed list (a dry run writes nothing). */
  constructor(
    readonly host: Host,
    devices?: string[],
  ) {
    this.probes = new Runner(host);
    if (devices) this.guard = new DeviceGuard(host, devices);
  }

  async prepare(devices: string[], ctxt: string): Promise<Map<string, Target>> {
    const res = new Map<string, Target>();
    for (const device of devices) {
      const exists = this.host.fs.existsSync(device);
      const node = exists ? this.host.fs.realpathSync(device) : device;
      let unknown = this.created.get(device) ?? this.created.get(node);
      if (!unknown && exists && node !== device && [...this.repartitioned].some((d) => isPartitionOf(node, d)))
        unknown = 'a link into a disk that is repartitioned first, resolved by the run';
      if (!unknown && this.deleted.has(node)) throw new DisksError(`failed to wait on ${ctxt} devs: ${q(device)} is deleted by an earlier step`);
      if (!unknown && !exists) {
        if (ctxt === 'disks') throw new DisksError(`failed to wait on ${ctxt} devs: device ${q(device)} does not exist`);
        unknown = 'not there yet (the run waits for it to appear)';
      }
      // A device that appears only at run time is checked then.
      if (this.guard && (exists || this.created.has(device))) this.guard.check(device, node);
      res.set(device, { device, alias: aliasPath(this.host.paths.runDir, device), node, probe: device, unknown });
    }
    return res;
  }

  async step(s: Step): Promise<CommandResult> {
    this.plan.push(s.note ? { argv: s.argv, why: s.why, note: s.note } : { argv: s.argv, why: s.why });
    return { code: 0, stdout: `<output of ${s.argv.slice(0, 2).join(' ')}>`, stderr: '' };
  }

  async groups(list: StepGroup[]): Promise<void> {
    const errors: string[] = [];
    for (const g of list) {
      if (g.error) errors.push(g.error);
      else for (const s of g.steps) await this.step(s);
    }
    if (errors.length) throw new DisksError(errors.join('\n'));
  }

  async tableAfterWipe(t: Target, sectorSize: number | undefined): Promise<PartitionTable> {
    return { sectorSize: sectorSize ?? (await readTable(this.probes, t.probe)).sectorSize, partitions: [] };
  }

  /** On a disk the run wipes first, `--clear` makes sgdisk start from an empty table in memory. */
  async pretend(t: Target, options: string[], wiped: boolean): Promise<{ out: string; note?: string }> {
    const sg = this.host.tools.sgdisk;
    const r = await this.probes.try([sg, '--pretend', ...(wiped ? ['--clear'] : []), ...options, t.probe]);
    if (r.code === 0) return { out: r.stdout };
    if (wiped) {
      // sgdisk refuses to load a corrupt table even to clear it: ask about an empty image instead.
      const out = await this.pretendOnBlankImage(t, options);
      if (out !== undefined)
        return { out, note: `sgdisk cannot read the current table of ${t.device}; default starts and sizes computed on a blank image of the same size` };
    }
    throw new DisksError(`failed to pretend to create partitions. Err: exit status ${r.code}. Stderr: ${r.stderr}`);
  }

  /** sgdisk on a sparse file of the disk's size; undefined unless the disk has 512-byte sectors (a file's). */
  private async pretendOnBlankImage(t: Target, options: string[]): Promise<string | undefined> {
    const fs = this.host.fs;
    const sectors = diskSectors(this.host, t.node);
    if (logicalSectorSize(this.host, t.node) !== 512 || !sectors) return undefined;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-pretend-'));
    try {
      const img = path.join(dir, 'blank.img');
      fs.closeSync(fs.openSync(img, 'w', 0o600));
      fs.truncateSync(img, sectors * 512);
      const r = await this.probes.try([this.host.tools.sgdisk, '--pretend', ...options, img]);
      return r.code === 0 ? r.stdout : undefined;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  async beforeKernelSync(): Promise<void> {}

  async partitioned(t: Target, plan: PartitionPlan, before: KernelPartition[]): Promise<void> {
    this.repartitioned.add(t.node);
    for (const n of [...plan.added, ...plan.updated]) this.created.set(partitionNode(t.node, n), `created by partitioning ${t.device} first`);
    for (const k of before) if (!plan.final.some((e) => e.number === k.number)) this.deleted.add(partitionNode(t.node, k.number));
  }

  async produced(node: string, how: string): Promise<void> {
    this.created.set(node, how);
    this.guard?.produce(node);
  }

  async settle(): Promise<void> {}

  async luksKey(l: Luks): Promise<LuksKey> {
    return { token: keyToken(l), generated: !l.keyFile?.source, contents: Buffer.alloc(0) };
  }

  releaseKey(): void {}

  async fetchTang(): Promise<void> {}

  luksDone(): void {}
}
