// Mount paths never lead outside the target root: symlinks planted in the root (absolute, to "/",
// relative and climbing) are refused as Ignition refuses them ("contains non-directory
// component"), `..` is clamped at the root, and the files stage then writes through the same
// paths only inside the root. Real ext4 filesystems on loop devices; a tree outside the root
// holds a sentinel that must stay byte-identical.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config, Filesystem } from '../../src/generated/types.js';
import { runMount, runUmount } from '../../src/disks/index.js';
import { realHost } from '../../src/host/host.js';
import { runFilesStage } from '../../src/stages/files/run.js';
import { canLoop, Lab, loopReason, sh } from './lab.js';

if (!canLoop) console.warn(`skipping mount containment tests: ${loopReason}`);

const cfg = (filesystems: Filesystem[], files: { path: string; contents: { source: string } }[] = []): Config => ({
  ignition: { version: '3.5.0' },
  storage: { filesystems, files },
});

/** Where `dev` is mounted now, from the kernel's table. */
function mountsOf(dev: string): string[] {
  return fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[0] === dev)
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '));
}

function listing(d: string): string[] {
  return fs
    .readdirSync(d, { recursive: true, withFileTypes: true })
    .map((e) => {
      const p = path.join(e.parentPath, e.name);
      const st = fs.lstatSync(p);
      return `${p} ${st.mode} ${st.ino} ${st.isFile() ? fs.readFileSync(p, 'base64') : st.isSymbolicLink() ? fs.readlinkSync(p) : ''}`;
    })
    .sort();
}

describe.skipIf(!canLoop)('mount paths stay inside the target root', () => {
  let lab: Lab, root: string, outside: string, dev: string, before: string[];
  beforeEach(() => {
    lab = new Lab();
    root = path.join(lab.dir, 'root');
    outside = path.join(lab.dir, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(path.join(outside, 'data'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'data', 'sentinel'), 'do not touch\n');
    dev = lab.disk(16);
    sh('mkfs.ext4', ['-q', '-F', dev]);
    before = listing(outside);
  });
  afterEach(() => {
    try {
      // Whatever happened, our device must not stay mounted anywhere (even outside the lab).
      for (const m of mountsOf(dev).reverse()) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
      expect(listing(outside)).toEqual(before);
    } finally {
      lab.cleanup();
    }
  });

  const ext4 = (p: string): Filesystem => ({ device: dev, format: 'ext4', path: p });

  it.each([
    ['an absolute symlink to a directory outside', () => fs.symlinkSync(outside, path.join(root, 'var')), () => '/var/data'],
    ['an absolute symlink to "/"', () => fs.symlinkSync('/', path.join(root, 'mnt')), () => `/mnt${outside}/data`],
    [
      'a relative symlink climbing with ..',
      () => {
        fs.mkdirSync(path.join(root, 'a'));
        fs.symlinkSync('../../../../../../../..' + outside, path.join(root, 'a', 'up'));
      },
      () => '/a/up/data',
    ],
  ])('a mount path through %s is refused; the files stage writes the same path inside the root', async (_what, plant, at) => {
    plant();
    const mountPath = at();
    const config = cfg([ext4(mountPath)], [{ path: `${mountPath}/f`, contents: { source: 'data:,in' } }]);
    await expect(runMount(config, lab.host, { root })).rejects.toThrow(/contains non-directory component/);
    expect(mountsOf(dev)).toEqual([]);
    await runFilesStage(config, realHost(), { root, mode: 'apply' });
    // Resolved chroot-style: the symlink's target taken inside the root.
    expect(fs.readFileSync(path.join(root, outside, 'data/f'), 'utf8')).toBe('in');
  });

  it('.. in a mount path is clamped at the root (mount and umount), even without validation', async () => {
    const climbing = `/../../../../../../..${outside}/data`;
    const config = cfg([ext4(climbing)]);
    const m = await runMount(config, lab.host, { root });
    const inside = path.join(root, outside, 'data');
    expect(m.ran[0]!.at(-1)).toBe(inside);
    expect(mountsOf(dev)).toEqual([inside]);
    expect(m.createdDirs.at(-1)).toBe(`${outside}/data`);
    await runUmount(config, lab.host, { root });
    expect(mountsOf(dev)).toEqual([]);
  });

  it('umount refuses a mount path whose parent became a symlink after mounting, and unmounts nothing outside', async () => {
    const config = cfg([ext4('/srv/data')]);
    await runMount(config, lab.host, { root });
    expect(mountsOf(dev)).toEqual([path.join(root, 'srv/data')]);
    // A filesystem of the host mounted outside the root, at the path the swapped symlink leads to.
    const hostDev = lab.disk(16);
    sh('mkfs.ext4', ['-q', '-F', hostDev]);
    lab.mount(hostDev, path.join(outside, 'data'));
    const hostBefore = listing(outside);
    fs.renameSync(path.join(root, 'srv'), path.join(root, 'srv.old'));
    fs.symlinkSync(outside, path.join(root, 'srv'));
    await expect(runUmount(config, lab.host, { root })).rejects.toThrow(/contains non-directory component/);
    expect(mountsOf(hostDev)).toEqual([path.join(outside, 'data')]);
    expect(mountsOf(dev)).toEqual([path.join(root, 'srv.old/data')]);
    expect(listing(outside)).toEqual(hostBefore);
    sh('umount', [path.join(outside, 'data')]);
  });
});
