// sgdisk argv construction and output parsing. Pure: no I/O here.
import type { PartitionInfo, PartitionTable } from './model.js';

/** One partition to (re)create, in logical sectors. `undefined` start/size → sgdisk's default ("0"). */
export interface SgdiskNew {
  number: number;
  start?: number;
  size?: number;
  label?: string;
  typeGuid?: string;
  guid?: string;
}

export interface SgdiskOp {
  zap?: boolean;
  deletes: number[];
  creates: SgdiskNew[];
  infos: number[];
}

/** Options in Ignition's order: zap, every delete, then each create with its name/type/guid, then infos. */
export function sgdiskOptions(op: SgdiskOp): string[] {
  const o: string[] = [];
  if (op.zap) o.push('--zap-all');
  for (const n of op.deletes) o.push(`--delete=${n}`);
  for (const p of op.creates) {
    o.push(`--new=${p.number}:${p.start ?? 0}:+${p.size ?? 0}`);
    if (p.label !== undefined) o.push(`--change-name=${p.number}:${p.label}`);
    if (p.typeGuid) o.push(`--typecode=${p.number}:${p.typeGuid}`);
    if (p.guid) o.push(`--partition-guid=${p.number}:${p.guid}`);
  }
  for (const n of op.infos) o.push(`--info=${n}`);
  return o;
}

export const BAD_SGDISK_OUTPUT = 'sgdisk had unexpected output';

const FIRST = /^First sector: (\d*) \(.*\)$/;
const LAST = /^Last sector: (\d*) \(.*\)$/;

/**
 * Reads the `--info=N` blocks of `sgdisk --pretend` output, one per number in `numbers` (same order).
 * Any extra or missing block means the output is not what we asked for.
 */
export function parsePretend(out: string, numbers: number[]): Map<number, { start: number; size: number }> {
  const res = new Map<number, { start: number; size: number }>();
  if (numbers.length === 0) return res;
  let i = 0;
  let start: number | undefined;
  for (const line of out.split('\n')) {
    const f = FIRST.exec(line);
    const l = LAST.exec(line);
    if (i === numbers.length) {
      if (f || l) throw new Error(BAD_SGDISK_OUTPUT);
      continue;
    }
    if (start === undefined) {
      if (f) start = num(f[1]);
    } else if (l) {
      res.set(numbers[i], { start, size: num(l[1]) - start + 1 });
      i++;
      start = undefined;
    }
  }
  if (i !== numbers.length) throw new Error(BAD_SGDISK_OUTPUT);
  return res;
}

function num(s: string): number {
  if (s === '') throw new Error(BAD_SGDISK_OUTPUT);
  return Number(s);
}

/** `sgdisk --print`: logical sector size and the partition numbers present. */
export function parsePrint(out: string): { sectorSize: number; numbers: number[] } {
  const ss = /^Sector size \(logical(?:\/physical)?\): (\d+)(?:\/\d+)? bytes$/m.exec(out);
  if (!ss) throw new Error(`${BAD_SGDISK_OUTPUT}: no sector size in --print output`);
  const numbers: number[] = [];
  let inTable = false;
  for (const line of out.split('\n')) {
    if (/^Number\s+Start/.test(line)) {
      inTable = true;
      continue;
    }
    const m = inTable ? /^\s*(\d+)\s+\d+\s+\d+\s/.exec(line) : null;
    if (m) numbers.push(Number(m[1]));
  }
  return { sectorSize: Number(ss[1]), numbers };
}

/** `sgdisk --info=A --info=B …`: one block per number, in order. GUIDs upper-cased like Ignition. */
export function parseInfo(out: string, numbers: number[]): PartitionInfo[] {
  const blocks: Partial<PartitionInfo>[] = [];
  let cur: Partial<PartitionInfo> | undefined;
  for (const line of out.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^Partition GUID code: ([0-9A-Fa-f-]+)/.exec(line))) {
      cur = { typeGuid: m[1].toUpperCase() };
      blocks.push(cur);
    } else if (!cur) continue;
    else if ((m = /^Partition unique GUID: ([0-9A-Fa-f-]+)/.exec(line))) cur.guid = m[1].toUpperCase();
    else if ((m = FIRST.exec(line))) cur.start = Number(m[1]);
    else if ((m = LAST.exec(line))) cur.size = Number(m[1]) - (cur.start ?? 0) + 1;
    else if ((m = /^Partition name: '(.*)'$/.exec(line))) cur.label = m[1];
  }
  if (blocks.length !== numbers.length) throw new Error(`${BAD_SGDISK_OUTPUT}: expected ${numbers.length} --info blocks, got ${blocks.length}`);
  return blocks.map((b, i) => {
    if (b.start === undefined || b.size === undefined || b.guid === undefined) throw new Error(BAD_SGDISK_OUTPUT);
    return { number: numbers[i], start: b.start, size: b.size, typeGuid: b.typeGuid!, guid: b.guid, label: b.label ?? '' };
  });
}

export function tableFromSgdisk(printOut: string, infoOut: string | undefined): PartitionTable {
  const { sectorSize, numbers } = parsePrint(printOut);
  return { sectorSize, partitions: numbers.length ? parseInfo(infoOut ?? '', numbers) : [] };
}
