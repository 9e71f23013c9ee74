// Plain data shared by the disks planners and executors.

/** One GPT entry as read from the disk. GUIDs upper-case; sizes in logical sectors. */
export interface PartitionInfo {
  number: number;
  start: number;
  size: number;
  typeGuid: string;
  guid: string;
  label: string;
}

export interface PartitionTable {
  /** Logical sector size in bytes (512 or 4096). */
  sectorSize: number;
  partitions: PartitionInfo[];
}

/** What blkid says is on a device; all "" when nothing was found. */
export interface FsProbe {
  type: string;
  uuid: string;
  label: string;
}

/** One external command of a plan, with a short reason for humans (dry run, logs). */
export interface PlannedCommand {
  argv: string[];
  why: string;
}

/** A stage failure whose message follows Ignition's wording; `detail` carries the command output. */
export class DisksError extends Error {
  override name = 'DisksError';
}
