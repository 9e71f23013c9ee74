// `kindling apply --disks` end to end on a loop device: the built CLI partitions, formats, mounts,
// writes files and units from a Butane config, unmounts; the image is then checked on its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canLoop, Lab, loopReason } from './lab.js';
import { seedAccounts } from '../support/seed-root.js';

const cli = path.resolve('dist/kindling.cjs');
if (!canLoop) console.warn(`skipping kindling apply --disks tests: ${loopReason}`);

describe.skipIf(!canLoop)('kindling apply --disks', () => {
  let lab: Lab;
  beforeAll(() => {
    if (!fs.existsSync(cli)) throw new Error('run `npm run build` first (npm test does)');
  });
  afterEach(() => lab?.cleanup());

  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [cli, 'apply', ...args], { encoding: 'utf8', input, env: { ...process.env, KINDLING_RUN_DIR: path.join(lab.dir, 'run') } });

  const butane = (d: string) => `variant: fcos
version: 1.5.0
storage:
  disks:
    - device: ${d}
      wipe_table: true
      partitions:
        - { number: 1, label: ROOT, size_mib: 96 }
        - { number: 2, label: VAR, size_mib: 0 }
  filesystems:
    - { device: ${d}p1, format: ext4, label: root, path: / }
    - { device: ${d}p2, format: xfs, label: var, path: /var/lib/app, mount_options: [noatime] }
  files:
    - path: /etc/hostname
      mode: 0644
      contents: { inline: "kindled\\n" }
    - path: /var/lib/app/settings.toml
      contents: { inline: "answer = 42\\n" }
systemd:
  units:
    - name: app.service
      enabled: true
      contents: "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n"
`;

  it('partitions, formats, mounts, writes and unmounts; the image holds the result', () => {
    lab = new Lab();
    const dev = lab.disk(512);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const r = run(['--root', root, '--disks', '--device', dev, '-'], butane(dev));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(root);

    const check = path.join(lab.dir, 'check');
    lab.mount(`${dev}p1`, check, ['-o', 'ro']);
    lab.mount(`${dev}p2`, path.join(lab.dir, 'check-app'), ['-o', 'ro']);
    expect(fs.readFileSync(path.join(check, 'etc/hostname'), 'utf8')).toBe('kindled\n');
    expect(fs.statSync(path.join(check, 'etc/hostname')).mode & 0o7777).toBe(0o644);
    expect(fs.readFileSync(path.join(check, 'etc/systemd/system-preset/20-ignition.preset'), 'utf8')).toBe('enable app.service\n');
    // the mount point was created on the root filesystem; the file landed on the xfs filesystem
    expect(fs.readdirSync(path.join(check, 'var/lib/app'))).toEqual([]);
    expect(fs.readFileSync(path.join(lab.dir, 'check-app/settings.toml'), 'utf8')).toBe('answer = 42\n');
    expect(spawnSync('blkid', ['-o', 'value', '-s', 'TYPE', `${dev}p2`], { encoding: 'utf8' }).stdout.trim()).toBe('xfs');
  });

  it('hands the mount points it created under a new home to the user (notatedDirectories)', () => {
    lab = new Lab();
    const dev = lab.disk(128);
    const root = path.join(lab.dir, 'sysroot');
    seedAccounts(root, { loginDefs: true });
    const config = {
      ignition: { version: '3.4.0' },
      passwd: { users: [{ name: 'deploy', uid: 1500, homeDir: '/var/home/deploy' }] },
      storage: { filesystems: [{ device: dev, format: 'ext4', path: '/var/home/deploy/data', wipeFilesystem: true }] },
    };
    const r = run(['--root', root, '--disks', '--device', dev, '-'], JSON.stringify(config));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const st = (p: string) => fs.statSync(path.join(root, p));
    // created by the mount stage: /var and /var/home stay root's, the home and below become the user's
    expect([st('var').uid, st('var/home').uid]).toEqual([0, 0]);
    expect([st('var/home/deploy').uid, st('var/home/deploy').mode & 0o7777]).toEqual([1500, 0o700]);
    // the mount point itself was the mounted filesystem's root while the files stage ran
    const check = path.join(lab.dir, 'check');
    lab.mount(dev, check, ['-o', 'ro']);
    expect([fs.statSync(check).uid, fs.statSync(check).mode & 0o7777]).toEqual([1500, 0o700]);
  });

  it('--dry-run prints the exact commands and changes nothing', () => {
    lab = new Lab();
    const dev = lab.disk(256);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const r = run(['--root', root, '--disks', '--device', dev, '--dry-run', '-'], butane(dev));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`sgdisk --zap-all`);
    expect(r.stdout).toMatch(/mkfs\.ext4 -F -L root \S+p1/);
    expect(r.stdout).toMatch(/mkfs\.xfs -f -L var \S+p2/);
    expect(r.stdout).toContain(`mount -o noatime -t xfs ${dev}p2 ${root}/var/lib/app`);
    // Ignition passes an empty -o; the dry run shows it as the shell would read it back
    expect(r.stdout).toContain(`mount -o '' -t ext4 ${dev}p1 ${root}  # mount ${dev}p1 at /`);
    // the kernel sync after the new table, and what the dry run could not probe yet
    expect(r.stdout).toContain(`partx --update --nr 2 ${dev}`);
    expect(r.stdout).toContain(`[${dev}p1 is created by partitioning ${dev} first: assumed to hold no filesystem, which the run checks first]`);
    expect(spawnSync('sgdisk', ['--print', dev], { encoding: 'utf8' }).stdout).not.toContain('ROOT');
  });

  it('refuses devices that were not named, and --disks without --device', () => {
    lab = new Lab();
    const dev = lab.disk(64);
    const other = lab.disk(64);
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    expect(run(['--root', root, '--disks', '-'], butane(dev)).status).toBe(2);
    const r = run(['--root', root, '--disks', '--device', other, '-'], butane(dev));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(dev);
    expect(spawnSync('sgdisk', ['--print', dev], { encoding: 'utf8' }).stdout).not.toContain('ROOT');
  });
});
