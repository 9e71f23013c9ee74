// The work of the kargs helper: find the boot filesystem, edit every BLS entry's options line, and
// say what changed. Shared by `kindling kargs-helper` (what the boot's kargs stage executes) and by
// `kindling apply --disks`, which runs it in-process on the devices it was given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandError, type Host } from '../host/host.js';
import { editEntry } from './bls.js';

export interface KargsRequest {
  shouldExist: string[];
  shouldNotExist: string[];
  /** The boot filesystem is already mounted here. */
  bootDir?: string;
  /** Mount this device; default: the filesystem labelled `boot` (among `searchDevices` if given). */
  bootDevice?: string;
  searchDevices?: string[];
}

/** The device holding the filesystem labelled `boot`. */
async function findBootDevice(host: Host, among: string[] | undefined): Promise<string> {
  const byLabel = '/dev/disk/by-label/boot';
  if (!among && fs.existsSync(byLabel)) return fs.realpathSync(byLabel);
  const r = await host.run([host.tools.blkid, '-o', 'device', '-t', 'LABEL=boot', ...(among ?? [])]);
  const dev = r.stdout.split('\n').find(Boolean);
  if (!dev) throw new Error(`no filesystem labelled "boot" found${among ? ` on ${among.join(', ')}` : ''}`);
  return dev;
}

/** Edits every entry under `bootDir`; returns the names of the entries it changed. */
export function editEntries(bootDir: string, add: readonly string[], del: readonly string[]): string[] {
  const dir = path.join(bootDir, 'loader/entries');
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => n.endsWith('.conf'))
      .sort();
  } catch {
    // reported below
  }
  if (names.length === 0) throw new Error(`no boot loader entries in ${dir}`);
  const changed: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    const next = editEntry(fs.readFileSync(p, 'utf8'), add, del);
    if (next === null) continue;
    const tmp = `${p}.kindling-tmp`;
    fs.writeFileSync(tmp, next, { mode: fs.statSync(p).mode & 0o7777 });
    fs.renameSync(tmp, p);
    changed.push(n);
  }
  return changed;
}

export async function applyKargs(host: Host, req: KargsRequest): Promise<string[]> {
  if (req.bootDir) return editEntries(req.bootDir, req.shouldExist, req.shouldNotExist);
  const dev = req.bootDevice ?? (await findBootDevice(host, req.searchDevices));
  const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-'));
  let mounted = false;
  try {
    const argv = [host.tools.mount, dev, mnt];
    const r = await host.run(argv);
    if (r.code !== 0) throw new Error(`mounting the boot partition: ${commandError(argv, r)}`);
    mounted = true;
    return editEntries(mnt, req.shouldExist, req.shouldNotExist);
  } finally {
    if (mounted) await host.run([host.tools.umount, mnt]);
    fs.rmSync(mnt, { recursive: true, force: true });
  }
}
