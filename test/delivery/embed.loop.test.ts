// kindling embed on real disk images, loop devices and ISO images: the config lands on the
// filesystem labelled boot (checked with debugfs, independently of our code), busy devices and
// disks without a boot filesystem are refused, and nothing stays attached or mounted.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankImage, gptImage } from '../../initramfs/qemu/images.js';
import { canLoop, Lab, loopReason, sh } from '../disks/lab.js';

const CLI = path.resolve('dist/kindling.cjs');
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const reason = !canLoop
  ? loopReason
  : !has('debugfs')
    ? 'debugfs missing (apt-get install e2fsprogs)'
    : !fs.existsSync(CLI)
      ? 'dist/kindling.cjs missing (npm run build)'
      : undefined;
if (reason) console.warn(`skipping kindling embed loop tests: ${reason}`);
const CONFIG = '{"ignition":{"version":"3.4.0"},"passwd":{"users":[{"name":"core"}]}}';
const ENTRY = 'title Test OS\nlinux /vmlinuz\ninitrd /initramfs.img\noptions root=LABEL=root ignition.platform.id=metal console=ttyS0\n';

function kindling(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
}

describe.skipIf(!!reason)('kindling embed on disks', () => {
  let lab: Lab;
  let cfg: string;
  beforeAll(() => {
    lab = new Lab();
    cfg = path.join(lab.dir, 'config.ign');
    fs.writeFileSync(cfg, CONFIG);
  });
  afterAll(() => lab?.cleanup());

  /** A disk image like an OS image: boot (with a BLS entry) and root, both ext4. */
  function osImage(name: string, entries = true): string {
    const boot = fs.mkdtempSync(path.join(lab.dir, 'boot-'));
    if (entries) {
      fs.mkdirSync(path.join(boot, 'loader/entries'), { recursive: true });
      fs.writeFileSync(path.join(boot, 'loader/entries/os.conf'), ENTRY);
    }
    const root = fs.mkdtempSync(path.join(lab.dir, 'root-'));
    const img = path.join(lab.dir, name);
    gptImage(img, 48, [
      { label: 'boot', mib: 16, dir: boot },
      { label: 'root', dir: root },
    ]);
    return img;
  }

  /** Reads the boot partition of an image with debugfs, through a read-only loop device. */
  function inspect(img: string, cmd: string): string {
    const dev = sh('losetup', ['--read-only', '--partscan', '--find', '--show', img]).trim();
    try {
      if (!fs.existsSync(`${dev}p1`)) sh('partx', ['-a', dev]);
      return execFileSync('debugfs', ['-R', cmd, `${dev}p1`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } finally {
      spawnSync('partx', ['-d', dev]);
      spawnSync('losetup', ['-d', dev]);
    }
  }
  const attachedTo = (img: string) => sh('losetup', ['--associated', img, '--noheadings', '--output', 'NAME']).trim();

  it('writes ignition/config.ign (dir 0700, file 0600), shows it, refuses to overwrite without --force, removes it', () => {
    const img = osImage('os.img');
    const w = kindling(['embed', '--config', cfg, img]);
    expect(w.status, w.stderr).toBe(0);
    expect(w.stderr).toContain('wrote ignition/config.ign');
    expect(inspect(img, 'cat /ignition/config.ign')).toBe(CONFIG);
    expect(inspect(img, 'stat /ignition/config.ign')).toMatch(/Mode: +0600/);
    expect(inspect(img, 'stat /ignition')).toMatch(/Mode: +0700/);
    expect(attachedTo(img)).toBe('');

    const show = kindling(['embed', '--show', img]);
    expect(show.status).toBe(0);
    expect(show.stdout).toBe(CONFIG);

    const again = kindling(['embed', '--config', cfg, img]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already has an embedded config[\s\S]*hint: use --force/);
    const forced = kindling(['embed', '--force', '--config', '-', img], '{"ignition":{"version":"3.5.0"}}');
    expect(forced.status, forced.stderr).toBe(0);
    expect(kindling(['embed', '--show', img]).stdout).toBe('{"ignition":{"version":"3.5.0"}}');

    const rm = kindling(['embed', '--remove', img]);
    expect(rm.status).toBe(0);
    expect(inspect(img, 'ls /')).not.toMatch(/\bignition\b/);
    const none = kindling(['embed', '--show', img]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no embedded config');
    expect(attachedTo(img)).toBe('');
  });

  it('--platform sets ignition.platform.id in the boot loader entries; without entries nothing is written', () => {
    const img = osImage('platform.img');
    const r = kindling(['embed', '--config', cfg, '--platform', 'metal', img]);
    expect(r.status, r.stderr).toBe(0);
    expect(inspect(img, 'cat /loader/entries/os.conf')).toContain('options root=LABEL=root ignition.platform.id=metal console=ttyS0');
    const bad = kindling(['embed', '--config', cfg, '--platform', 'nope', img]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"nope" is not a known platform');

    const bare = osImage('bare.img', false);
    const no = kindling(['embed', '--config', cfg, '--platform', 'metal', bare]);
    expect(no.status).toBe(1);
    expect(no.stderr).toContain('no boot loader entries (loader/entries/*.conf)');
    expect(inspect(bare, 'ls /')).not.toMatch(/\bignition\b/);
  });

  it('refuses a disk without a filesystem labelled boot, naming what it found', () => {
    const img = path.join(lab.dir, 'noboot.img');
    const dir = fs.mkdtempSync(path.join(lab.dir, 'd-'));
    gptImage(img, 32, [{ label: 'data', dir }]);
    const r = kindling(['embed', '--config', cfg, img]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/has no filesystem labelled "boot" \(found loop\d+p1: ext4 "data"\)/);
    const blank = path.join(lab.dir, 'blank.img');
    blankImage(blank, 8);
    expect(kindling(['embed', '--config', cfg, blank]).stderr).toContain('no labelled filesystem at all');
    expect(attachedTo(img)).toBe('');
  });

  it('refuses an image that a loop device holds, and a device that is mounted; works on a free device', () => {
    const img = osImage('busy.img');
    const dev = sh('losetup', ['--partscan', '--find', '--show', img]).trim();
    lab.track('loop', dev);
    if (!fs.existsSync(`${dev}p1`)) sh('partx', ['-a', dev]);
    const attached = kindling(['embed', '--config', cfg, img]);
    expect(attached.status).toBe(1);
    expect(attached.stderr).toContain(`it is attached to ${dev}`);

    const mnt = path.join(lab.dir, 'mnt');
    lab.mount(`${dev}p2`, mnt);
    const mounted = kindling(['embed', '--config', cfg, dev]);
    expect(mounted.status).toBe(1);
    expect(mounted.stderr).toContain(`refusing to modify ${dev}: ${dev}p2 is mounted at ${mnt}`);
    const part = kindling(['embed', '--config', cfg, `${dev}p1`]);
    expect(part.stderr).toContain('is a partition: name the whole disk');
    sh('umount', [mnt]);

    const free = kindling(['embed', '--config', cfg, dev]);
    expect(free.status, free.stderr).toBe(0);
    expect(kindling(['embed', '--show', dev]).stdout).toBe(CONFIG);
  });
});

describe.skipIf(!!reason || !has('xorriso') || !has('xz'))('kindling embed on an ISO image', () => {
  let lab: Lab;
  beforeAll(() => {
    lab = new Lab();
  });
  afterAll(() => lab?.cleanup());

  it('stores the config as the initrd /images/ignition.img, shows, replaces with --force, removes', () => {
    const tree = fs.mkdtempSync(path.join(lab.dir, 'iso-'));
    fs.mkdirSync(path.join(tree, 'images'));
    fs.writeFileSync(path.join(tree, 'images/vmlinuz'), 'kernel');
    const iso = path.join(lab.dir, 'live.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-R', '-V', 'LIVE', '-o', iso, tree], { stdio: 'pipe' });
    const cfg = path.join(lab.dir, 'c.ign');
    fs.writeFileSync(cfg, CONFIG);

    expect(kindling(['embed', '--show', iso]).stderr).toContain('/images/ignition.img is absent');
    const w = kindling(['embed', '--config', cfg, iso]);
    expect(w.status, w.stderr).toBe(0);
    // The ISO is still an ISO with its other files, and the embedded initrd unwraps with either tool.
    const listing = execFileSync('xorriso', ['-indev', iso, '-ls', '/images'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(listing).toMatch(/'vmlinuz'/);
    expect(listing).toMatch(/'ignition\.img'/);
    const img = path.join(lab.dir, 'extracted.img');
    execFileSync('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/images/ignition.img', img], { stdio: 'pipe' });
    expect(kindling(['initrd', 'unwrap', img]).stdout).toBe(CONFIG);
    expect(kindling(['embed', '--show', iso]).stdout).toBe(CONFIG);
    expect(kindling(['embed', '--config', cfg, iso]).stderr).toContain('already has an embedded config');
    expect(kindling(['embed', '--config', cfg, '--platform', 'metal', iso]).stderr).toContain('an ISO keeps its kernel arguments in its boot menu');
    expect(kindling(['embed', '-f', '--config', '-', iso], '{"ignition":{"version":"3.5.0"}}').status).toBe(0);
    expect(kindling(['embed', '--show', iso]).stdout).toBe('{"ignition":{"version":"3.5.0"}}');
    expect(kindling(['embed', '--remove', iso]).status).toBe(0);
    expect(execFileSync('xorriso', ['-indev', iso, '-ls', '/images'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).not.toContain('ignition.img');
    expect(fs.readdirSync(lab.dir).filter((f) => f.includes('kindling-'))).toEqual([]);
  });
});
