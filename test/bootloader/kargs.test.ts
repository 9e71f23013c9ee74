// The kargs helper: the options line of BLS entries, edited as Ignition's contract asks, on a real
// boot partition (an ext4 filesystem labelled "boot", as on Fedora CoreOS, on a loop device)
// through the built CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { editArgs, editEntry } from '../../src/bootloader/bls.js';

describe('editing an options line', () => {
  it('appends missing arguments in order, once, and removes every unwanted one', () => {
    expect(editArgs(['root=UUID=x', 'rw', 'quiet'], ['console=ttyS0', 'rw'], ['quiet'])).toEqual(['root=UUID=x', 'rw', 'console=ttyS0']);
    expect(editArgs(['a', 'quiet', 'b', 'quiet'], [], ['quiet'])).toEqual(['a', 'b']);
  });
  it('treats a multi-word entry as one sequence', () => {
    expect(editArgs(['a', 'baz', 'x', 'boo'], ['baz boo'], [])).toEqual(['a', 'baz', 'x', 'boo', 'baz', 'boo']);
    expect(editArgs(['a', 'baz', 'boo', 'c'], [], ['baz boo'])).toEqual(['a', 'c']);
  });
  it('keeps quoted arguments whole and leaves an entry alone when nothing changes', () => {
    expect(editArgs(['foo="a b"'], ['bar'], [])).toEqual(['foo="a b"', 'bar']);
    expect(editEntry('title X\noptions root=/dev/vda rw\n', ['rw'], [])).toBeNull();
    expect(editEntry('title X\nlinux /vmlinuz\n', ['rw'], [])).toBe('title X\nlinux /vmlinuz\noptions rw\n');
  });
});

const isRoot = process.getuid?.() === 0;
const haveTools = ['sgdisk', 'mkfs.ext4', 'losetup', 'partx'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);
let dir: string | undefined;
let loop: string | undefined;

afterAll(() => {
  if (loop) spawnSync('losetup', ['-d', loop]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!isRoot || !haveTools)('kindling kargs-helper on a boot partition', () => {
  it('edits every entry on the partition and reports what changed', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-kargs-'));
    const img = path.join(dir, 'disk.img');
    execFileSync('truncate', ['-s', '64M', img]);
    execFileSync('sgdisk', ['--new=1:2048:+40M', '--change-name=1:boot', img], { stdio: 'ignore' });
    loop = execFileSync('losetup', ['-f', '--show', '-P', img], { encoding: 'utf8' }).trim();
    spawnSync('partx', ['-a', loop]);
    const part = `${loop}p1`;
    execFileSync('mkfs.ext4', ['-q', '-L', 'boot', part], { stdio: 'ignore' });
    const mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    execFileSync('mount', [part, mnt]);
    try {
      fs.mkdirSync(path.join(mnt, 'loader/entries'), { recursive: true });
      fs.writeFileSync(path.join(mnt, 'loader/entries/os-1.conf'), 'title OS 1\nlinux /vmlinuz-1\noptions root=UUID=abc rw quiet\n');
      fs.writeFileSync(path.join(mnt, 'loader/entries/os-2.conf'), 'title OS 2\nlinux /vmlinuz-2\noptions root=UUID=abc rw\n');
    } finally {
      execFileSync('umount', [mnt]);
    }
    const cli = path.resolve('dist/kindling.cjs');
    const args = ['kargs-helper', '--boot-device', part, '--should-exist', 'console=ttyS0,115200', '--should-not-exist', 'quiet'];
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('kernel arguments changed in os-1.conf, os-2.conf');
    const again = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
    expect(again.stdout).toContain('already as requested');
    execFileSync('mount', ['-o', 'ro', part, mnt]);
    try {
      expect(fs.readFileSync(path.join(mnt, 'loader/entries/os-1.conf'), 'utf8')).toBe(
        'title OS 1\nlinux /vmlinuz-1\noptions root=UUID=abc rw console=ttyS0,115200\n',
      );
      expect(fs.readFileSync(path.join(mnt, 'loader/entries/os-2.conf'), 'utf8')).toBe(
        'title OS 2\nlinux /vmlinuz-2\noptions root=UUID=abc rw console=ttyS0,115200\n',
      );
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
