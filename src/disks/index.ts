// The disks, mount and umount stages.
export { runDisks, bindClevisOnly, isNoOp, type DisksOptions, type DisksResult, type LuksArtifacts } from './run.js';
export { runMount, runUmount, planMount, type MountOptions, type MountResult } from './mount.js';
export { planDisks, formatPlan, formatCommand, shellWord } from './plan.js';
export { DisksError, type PartitionTable, type PartitionInfo, type FsProbe, type PlannedCommand } from './model.js';
export { luksFilesFragment } from './artifacts.js';
export { aliasPath } from './devices.js';
export { crypttabLine } from './luks.js';
