// The stages of a first boot, in the order the initramfs runs them.
import { disks } from './disks.js';
import { fetch } from './fetch.js';
import { fetchOffline } from './fetch-offline.js';
import { files } from './files/stage.js';
import { kargs } from './kargs.js';
import { mount } from './mount.js';
import type { Stage, StageName } from './stage.js';
import { umount } from './umount.js';

const stages: Record<StageName, Stage> = {
  'fetch-offline': fetchOffline,
  fetch,
  kargs,
  disks,
  mount,
  files,
  umount,
};

export function getStage(name: string): Stage | undefined {
  return Object.hasOwn(stages, name) ? stages[name as StageName] : undefined;
}
