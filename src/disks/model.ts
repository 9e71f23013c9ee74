// Plain data shared by the disks planners, the stage flow and its two drivers.

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

/**
 * One external command of the plan, as the dry run prints it and the run executes it. An argument
 * written `<…>` stands for a value only known at run time (a generated key file's path); `note`
 * says what the dry run had to assume or leave to the run.
 */
export interface PlannedCommand {
  argv: string[];
  why: string;
  note?: string;
}

/** A planned command plus what the executor needs to report its failure the way Ignition does. */
export interface Step extends PlannedCommand {
  /** Error prefix on a non-zero exit: `<fail>: exit status N: Cmd: … Stderr: …`. */
  fail: string;
  /** The error is exactly `fail`, without the command's output. */
  bare?: boolean;
  /** Run once more when the first attempt fails (sgdisk --zap-all exits 2 on a corrupt table). */
  retry?: boolean;
}

/** What the files stage must write for LUKS volumes (reference §3.9 step 7). */
export interface LuksArtifacts {
  /** Lines for `/etc/crypttab` (0600), one per volume, in config order. */
  crypttab: string[];
  /** Key files for `/etc/luks/<name>` (0600, dir 0700) of volumes without clevis. */
  keyFiles: { name: string; path: string; contents: Buffer; mode: number }[];
}

/** A stage failure whose message follows Ignition's wording; `detail` carries the command output. */
export class DisksError extends Error {
  override name = 'DisksError';
}
