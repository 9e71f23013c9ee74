// The partitioning planner: Ignition's decision matrix (reference §3.2) over plain data.
// Step 1 `preparePretend` says which `sgdisk --pretend` to run to learn the real start/size of
// entries left to sgdisk's defaults; step 2 `decidePartitions` compares the spec with the table.
import type { Disk, Partition } from '../generated/types.js';
import { DisksError, type PartitionInfo, type PartitionTable } from './model.js';
import { parsePretend, sgdiskOptions, type SgdiskNew, type SgdiskOp } from './sgdisk.js';

/** A config partition with MiB converted to sectors and (after the dry run) zeros resolved. */
export interface ResolvedPartition {
  number: number;
  start?: number;
  size?: number;
  label?: string;
  typeGuid?: string;
  guid?: string;
  shouldExist: boolean;
  wipe: boolean;
  resize: boolean;
}

export interface PretendRequest {
  /** sgdisk options (without `--pretend` and the device). */
  options: string[];
  /** Partition numbers whose `--info` blocks the output holds, in order. */
  inspect: number[];
  partitions: ResolvedPartition[];
}

/** `number: 0` entries go last, otherwise config order (a stable sort, like Ignition). */
export function sortPartitions(parts: readonly Partition[]): Partition[] {
  return [...parts.filter((p) => (p.number ?? 0) !== 0), ...parts.filter((p) => (p.number ?? 0) === 0)];
}

function toSectors(mib: number | undefined, sectorSize: number): number | undefined {
  return mib === undefined ? undefined : mib * (1048576 / sectorSize);
}

export function preparePretend(disk: Disk, table: PartitionTable): PretendRequest {
  const byNumber = new Map(table.partitions.map((p) => [p.number, p]));
  const used = new Map<number, boolean>(table.partitions.map((p) => [p.number, true]));
  const op: SgdiskOp = { deletes: [], creates: [], infos: [] };
  const parts: ResolvedPartition[] = sortPartitions(disk.partitions ?? []).map((p) => ({
    number: p.number ?? 0,
    start: toSectors(p.startMiB, table.sectorSize),
    size: toSectors(p.sizeMiB, table.sectorSize),
    label: p.label,
    typeGuid: p.typeGuid,
    guid: p.guid,
    shouldExist: p.shouldExist !== false,
    wipe: p.wipePartitionEntry === true,
    resize: p.resize === true,
  }));

  for (const part of parts) {
    const cur = byNumber.get(part.number);
    if (cur) {
      // Every existing entry named in the config is recreated in the dry run; without a wipe an
      // unset start/size means "keep what is there".
      op.deletes.push(part.number);
      if (part.start === undefined && !part.wipe) part.start = cur.start;
      if (part.size === undefined && !part.wipe) part.size = cur.size;
    }
    if (part.number > 0) used.set(part.number, part.shouldExist);
    // The label is left out: sgdisk prints names unescaped, which would confuse the parser.
    if (part.shouldExist) op.creates.push({ ...toNew(part), label: undefined });
  }

  let free = 1;
  const inspect: number[] = [];
  for (const part of parts) {
    if (!part.shouldExist) continue;
    if (part.number === 0) {
      while (used.get(free)) free++;
      part.number = free++;
    }
    if (!part.start || !part.size) inspect.push(part.number);
  }
  op.infos = inspect;
  return { options: sgdiskOptions(op), inspect, partitions: parts };
}

/** Fills the zero/unset starts and sizes from the `sgdisk --pretend` output. */
export function resolveWithPretend(req: PretendRequest, pretendOut: string): ResolvedPartition[] {
  const dims = parsePretend(pretendOut, req.inspect);
  return req.partitions.map((p) => {
    const d = p.shouldExist ? dims.get(p.number) : undefined;
    return d ? { ...p, start: d.start, size: d.size } : { ...p };
  });
}

export interface PartitionPlan {
  /** Options of the one committing sgdisk call (without the device); empty = nothing to write. */
  commit: string[];
  deleted: number[];
  updated: number[];
  added: number[];
  /** Partitions the kernel must show afterwards with these sectors (logical units). */
  expected: { number: number; start: number; size: number }[];
  /** Every partition the disk holds after the commit (for reconciling the kernel's view). */
  final: { number: number; start: number; size: number }[];
  notes: string[];
}

function toNew(p: ResolvedPartition): SgdiskNew {
  return { number: p.number, start: p.start, size: p.size, label: p.label, typeGuid: p.typeGuid, guid: p.guid };
}

function matchCommon(cur: PartitionInfo, spec: ResolvedPartition): string | undefined {
  if (spec.start !== undefined && spec.start !== cur.start) return `starting sector did not match (specified ${spec.start}, got ${cur.start})`;
  if (spec.guid && spec.guid.toLowerCase() !== cur.guid.toLowerCase()) return `GUID did not match (specified ${q(spec.guid)}, got ${q(cur.guid)})`;
  if (spec.typeGuid && spec.typeGuid.toLowerCase() !== cur.typeGuid.toLowerCase())
    return `type GUID did not match (specified ${q(spec.typeGuid)}, got ${q(cur.typeGuid)})`;
  if (spec.label !== undefined && spec.label !== cur.label) return `label did not match (specified ${q(spec.label)}, got ${q(cur.label)})`;
  return undefined;
}

function match(cur: PartitionInfo, spec: ResolvedPartition): string | undefined {
  const common = matchCommon(cur, spec);
  if (common) return common;
  if (spec.size !== undefined && spec.size !== cur.size) return `size did not match (specified ${spec.size}, got ${cur.size})`;
  return undefined;
}

/** Go's %q for the plain strings GUIDs and labels are. */
export function q(s: string): string {
  return JSON.stringify(s);
}

export interface DecideContext {
  /** Name used in messages (Ignition uses the device alias). */
  device: string;
  /** Numbers of partitions that are mounted or held. */
  active?: ReadonlySet<number>;
}

export function decidePartitions(table: PartitionTable, resolved: ResolvedPartition[], ctx: DecideContext): PartitionPlan {
  const byNumber = new Map(table.partitions.map((p) => [p.number, p]));
  const op: SgdiskOp = { deletes: [], creates: [], infos: [] };
  const plan: PartitionPlan = { commit: [], deleted: [], updated: [], added: [], expected: [], final: [], notes: [] };
  const create = (p: ResolvedPartition) => {
    op.creates.push(toNew(p));
    plan.expected.push({ number: p.number, start: p.start ?? 0, size: p.size ?? 0 });
  };

  for (const spec of resolved) {
    const n = spec.number;
    if (!spec.shouldExist && resolved.some((o) => o.number === n && o.shouldExist)) continue;
    const cur = byNumber.get(n);
    const why = cur ? match(cur, spec) : undefined;
    let modified = false;
    if (!cur && !spec.shouldExist) {
      plan.notes.push(`partition ${n} specified as nonexistant and no partition was found. Success.`);
    } else if (!cur) {
      create(spec);
      plan.added.push(n);
      modified = true;
    } else if (!spec.shouldExist) {
      if (!spec.wipe) throw new DisksError(`partition ${n} exists but is specified as nonexistant and wipePartitionEntry is false`);
      op.deletes.push(n);
      plan.deleted.push(n);
      modified = true;
    } else if (!why) {
      plan.notes.push(`partition ${n} found with correct specifications`);
    } else if (!spec.wipe) {
      if (!(spec.resize && !matchCommon(cur, spec))) throw new DisksError(`partition ${n} didn't match: ${why}`);
      plan.notes.push(`resizing partition ${n}`);
      op.deletes.push(n);
      // Keep everything but the size.
      create({ ...spec, guid: cur.guid, typeGuid: cur.typeGuid, label: cur.label, start: cur.start });
      plan.updated.push(n);
      modified = true;
    } else {
      plan.notes.push(`partition ${n} did not meet specifications, wiping partition entry and recreating`);
      op.deletes.push(n);
      create(spec);
      plan.updated.push(n);
      modified = true;
    }
    if (modified && ctx.active?.has(n)) throw new DisksError(`refusing to modify active partition ${n} on ${q(ctx.device)}`);
  }

  plan.commit = sgdiskOptions(op);
  const gone = new Set([...plan.deleted, ...plan.updated]);
  const final = new Map<number, { number: number; start: number; size: number }>();
  for (const p of table.partitions) if (!gone.has(p.number)) final.set(p.number, { number: p.number, start: p.start, size: p.size });
  for (const e of plan.expected) final.set(e.number, e);
  plan.final = [...final.values()].sort((a, b) => a.number - b.number);
  return plan;
}

/** Both steps at once, for callers that already have the dry-run output. */
export function planPartitions(disk: Disk, table: PartitionTable, pretendOut: string, ctx: DecideContext): PartitionPlan {
  return decidePartitions(table, resolveWithPretend(preparePretend(disk, table), pretendOut), ctx);
}
