// `kindling apply --disks` with LUKS root and data volumes, end to end on a loop device inside the
// QEMU guest (test/disks/guest.qemu.test.ts): the built CLI formats and opens the volumes, puts
// filesystems on /dev/mapper/<name>, writes files, crypttab and key files; the image is then
// reopened with the key files it holds and checked on its own.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { blkid, Lab, sh } from '../lab.js';

const cli = path.resolve('dist/kindling.cjs');

describe('kindling apply --disks with LUKS', () => {
  let lab: Lab;
  beforeAll(() => {
    if (!fs.existsSync(cli)) throw new Error('run `npm run build` first (npm test does)');
  });
  afterEach(() => lab?.cleanup());

  it('encrypted root and data volumes: files land inside, crypttab and /etc/luks keys reopen them', () => {
    lab = new Lab();
    const dev = lab.disk(512); // xfs needs 300 MiB
    const root = path.join(lab.dir, 'sysroot');
    fs.mkdirSync(root);
    const [rootName, dataName] = [`kroot-${process.pid}`, `kdata-${process.pid}`];
    lab.track('mapping', rootName);
    lab.track('mapping', dataName);
    const dataKey = 'inline data key 0123456789';
    const butane = `variant: fcos
version: 1.5.0
storage:
  disks:
    - device: ${dev}
      wipe_table: true
      partitions:
        - { number: 1, label: CRYPTROOT, size_mib: 96 }
        - { number: 2, label: CRYPTDATA, size_mib: 0 }
  luks:
    - name: ${rootName}
      device: ${dev}p1
      label: luks-root
      wipe_volume: true
      options: [--pbkdf, pbkdf2, --pbkdf-force-iterations, "1000"]
    - name: ${dataName}
      device: ${dev}p2
      wipe_volume: true
      key_file: { inline: "${dataKey}" }
      options: [--pbkdf, pbkdf2, --pbkdf-force-iterations, "1000"]
  filesystems:
    - { device: /dev/mapper/${rootName}, format: ext4, label: root, path: /, wipe_filesystem: true }
    - { device: /dev/mapper/${dataName}, format: xfs, label: data, path: /var/lib/data, wipe_filesystem: true }
  files:
    - path: /etc/hostname
      mode: 0644
      contents: { inline: "sealed\\n" }
    - path: /var/lib/data/secret.txt
      mode: 0600
      contents: { inline: "behind two locks\\n" }
`;
    const r = spawnSync(process.execPath, [cli, 'apply', '--root', root, '--disks', '--device', dev, '-'], {
      encoding: 'utf8',
      input: butane,
      env: { ...process.env, KINDLING_RUN_DIR: path.join(lab.dir, 'run') },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(root);
    expect(blkid(`${dev}p1`)).toMatchObject({ TYPE: 'crypto_LUKS', LABEL: 'luks-root', VERSION: '2' });
    expect(blkid(`${dev}p2`)).toMatchObject({ TYPE: 'crypto_LUKS', VERSION: '2' });

    // Ignition leaves the volumes open: read what the files stage wrote into the encrypted root.
    const look = path.join(lab.dir, 'look');
    lab.mount(`/dev/mapper/${rootName}`, look, ['-o', 'ro']);
    const crypttab = fs.readFileSync(path.join(look, 'etc/crypttab'), 'utf8');
    const keys = path.join(lab.dir, 'keys');
    fs.mkdirSync(keys);
    for (const n of [rootName, dataName]) {
      expect(fs.statSync(path.join(look, 'etc/luks', n)).mode & 0o7777).toBe(0o600);
      fs.copyFileSync(path.join(look, 'etc/luks', n), path.join(keys, n));
    }
    expect(fs.statSync(path.join(look, 'etc/crypttab')).mode & 0o7777).toBe(0o600);
    expect(fs.statSync(path.join(look, 'etc/luks')).mode & 0o7777).toBe(0o700);
    sh('umount', [look]);

    const uuid = (p: string) => sh('cryptsetup', ['luksUUID', p]).trim();
    expect(crypttab).toBe(
      `${rootName} UUID=${uuid(`${dev}p1`)} /etc/luks/${rootName} luks,x-initrd.attach\n` +
        `${dataName} UUID=${uuid(`${dev}p2`)} /etc/luks/${dataName} luks,x-initrd.attach\n`,
    );
    expect(fs.readFileSync(path.join(keys, dataName), 'utf8')).toBe(dataKey);
    // the generated root key: 4096 random bytes as hex text
    expect(fs.readFileSync(path.join(keys, rootName), 'utf8')).toMatch(/^[0-9a-f]{8192}$/);

    // Close everything; only the key files found in the image can open the volumes again.
    sh('cryptsetup', ['close', dataName]);
    sh('cryptsetup', ['close', rootName]);
    expect(spawnSync('cryptsetup', ['open', '--test-passphrase', '--key-file', path.join(keys, dataName), `${dev}p1`]).status).not.toBe(0);
    sh('cryptsetup', ['open', `${dev}p1`, rootName, '--key-file', path.join(keys, rootName)]);
    sh('cryptsetup', ['open', `${dev}p2`, dataName, '--key-file', path.join(keys, dataName)]);
    expect(blkid(`/dev/mapper/${rootName}`)).toMatchObject({ TYPE: 'ext4', LABEL: 'root' });
    expect(blkid(`/dev/mapper/${dataName}`)).toMatchObject({ TYPE: 'xfs', LABEL: 'data' });
    const check = path.join(lab.dir, 'check');
    lab.mount(`/dev/mapper/${rootName}`, check, ['-o', 'ro']);
    lab.mount(`/dev/mapper/${dataName}`, path.join(lab.dir, 'check-data'), ['-o', 'ro']);
    expect(fs.readFileSync(path.join(check, 'etc/hostname'), 'utf8')).toBe('sealed\n');
    // the mount point exists on the root filesystem, the file only on the data filesystem
    expect(fs.readdirSync(path.join(check, 'var/lib/data'))).toEqual([]);
    expect(fs.readFileSync(path.join(lab.dir, 'check-data/secret.txt'), 'utf8')).toBe('behind two locks\n');
    expect(fs.statSync(path.join(lab.dir, 'check-data/secret.txt')).mode & 0o7777).toBe(0o600);
  });
});
