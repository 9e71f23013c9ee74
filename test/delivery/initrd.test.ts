// The PXE initrd: our archives read by GNU cpio and xz, and initrds in every layout
// coreos-installer reads (plain, gzip, xz, zstd, concatenated, zero padding) read by us.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readNewc, writeNewc } from '../../src/delivery/cpio.js';
import { S_IFDIR, S_IFREG } from '../../src/host/modes.js';
import { toolCodecs } from '../../src/delivery/codecs.js';
import { crc32, xzStreamEnd, zstdFramesEnd } from '../../src/delivery/compression.js';
import { archiveEntries, configArchive, readInitrd, unwrapConfig } from '../../src/delivery/initrd.js';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const tools = has('xz') && has('zstd') && has('cpio');
if (!tools) console.warn('skipping initrd tool interop tests: xz, zstd or cpio missing (apt-get install xz-utils zstd cpio)');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-initrd-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const codecs = toolCodecs();
const CONFIG = Buffer.from('{"ignition":{"version":"3.4.0"}}\n');
const CLI = path.resolve('dist/kindling.cjs');

/** A directory tree packed by GNU cpio, as the other side's tools would. */
function gnuCpio(files: Record<string, string>): Buffer {
  const dir = fs.mkdtempSync(path.join(tmp, 'tree-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const list = execFileSync('find', ['.', '-mindepth', '1'], { cwd: dir, encoding: 'utf8' });
  return execFileSync('cpio', ['--quiet', '-o', '-H', 'newc', '-R', '0:0'], { cwd: dir, input: list });
}

describe('cpio newc', () => {
  it('round-trips entries, with names and data padded to 4 bytes', () => {
    const entries = [
      { name: 'a', mode: S_IFDIR | 0o755, data: Buffer.alloc(0) },
      { name: 'a/bc', mode: S_IFREG | 0o600, data: Buffer.from('xyz') },
    ];
    const buf = writeNewc(entries);
    expect(buf.length % 4).toBe(0);
    const back = readNewc(buf);
    expect(back.end).toBe(buf.length);
    expect(back.entries.map((e) => [e.name, e.mode, e.data.toString()])).toEqual([
      ['a', S_IFDIR | 0o755, ''],
      ['a/bc', S_IFREG | 0o600, 'xyz'],
    ]);
  });

  it('creates each parent directory once, before the files in it, in sorted order', () => {
    const files = new Map(['c/f', 'c/a/b/d/f', 'd', 'c/g', 'c/a/c/f', 'a/b/c/d/e/f'].map((n) => [n, Buffer.alloc(0)]));
    const listed = archiveEntries(files).map((e) => `${(e.mode & S_IFDIR) === S_IFDIR ? 'd' : 'f'} ${e.name}`);
    expect(listed).toEqual([
      'd a',
      'd a/b',
      'd a/b/c',
      'd a/b/c/d',
      'd a/b/c/d/e',
      'f a/b/c/d/e/f',
      'd c',
      'd c/a',
      'd c/a/b',
      'd c/a/b/d',
      'f c/a/b/d/f',
      'd c/a/c',
      'f c/a/c/f',
      'f c/f',
      'f c/g',
      'f d',
    ]);
  });

  it('rejects what is not newc, naming the byte', () => {
    expect(() => readNewc(Buffer.from('070707' + '0'.repeat(200)))).toThrow(/not a newc cpio header at byte 0/);
    expect(() => readNewc(writeNewc([{ name: 'x', mode: S_IFREG, data: Buffer.alloc(40) }]).subarray(0, 120))).toThrow(/runs past the end|truncated/);
  });

  it('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});

describe.skipIf(!tools)('initrd wrap and unwrap', () => {
  it('our archive is xz with a CRC32 check holding config.ign (0600) that GNU cpio extracts', () => {
    const img = codecs.xz(configArchive(CONFIG));
    const file = path.join(tmp, 'ours.img');
    fs.writeFileSync(file, img);
    expect(execFileSync('xz', ['--robot', '--list', file], { encoding: 'utf8' })).toMatch(/\tCRC32\t/);
    const listing = execFileSync('sh', ['-c', `xz -dc '${file}' | cpio -itv --quiet`], { encoding: 'utf8' });
    expect(listing).toMatch(/^-rw------- +1 root +root +\d+ .* config\.ign$/m);
    const out = fs.mkdtempSync(path.join(tmp, 'x-'));
    execFileSync('sh', ['-c', `xz -dc '${file}' | cpio -id --quiet`], { cwd: out });
    expect(fs.readFileSync(path.join(out, 'config.ign'))).toEqual(CONFIG);
    expect(unwrapConfig(img, codecs)).toEqual(CONFIG);
  });

  it('reads every archive of a concatenated initrd (plain, gzip, xz, zstd, zero padding); the last copy wins', () => {
    const hello = (dir: string) => gnuCpio({ [`${dir}/hello`]: 'HELLO\n', [`${dir}/world`]: 'WORLD\n' });
    const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4), Buffer.alloc(512)]);
    const zstd = execFileSync('zstd', ['-q', '-c', '--no-check'], { input: hello('zstd') });
    const zstdChecked = execFileSync('zstd', ['-q', '-c', '--check'], { input: gnuCpio({ 'config.ign': 'second' }) });
    const initrd = Buffer.concat([
      pad(hello('uncompressed-1')),
      pad(Buffer.concat([gzipSync(hello('gzip'))])),
      pad(execFileSync('xz', ['-c', '--check=crc32'], { input: gnuCpio({ 'config.ign': 'first', 'xz/hello': 'HELLO\n' }) })),
      pad(zstd),
      pad(zstdChecked),
      hello('uncompressed-2'),
    ]);
    const files = readInitrd(initrd, codecs);
    expect([...files.keys()].sort()).toEqual(
      [
        'config.ign',
        'gzip/hello',
        'gzip/world',
        'uncompressed-1/hello',
        'uncompressed-1/world',
        'uncompressed-2/hello',
        'uncompressed-2/world',
        'xz/hello',
        'zstd/hello',
        'zstd/world',
      ].sort(),
    );
    expect(files.get('config.ign')!.toString()).toBe('second');
    expect(files.get('zstd/world')!.toString()).toBe('WORLD\n');
    // The framing walkers find exactly the ends of their streams.
    const xz = execFileSync('xz', ['-c', '--check=crc32'], { input: Buffer.alloc(100000, 7) });
    expect(xzStreamEnd(Buffer.concat([xz, Buffer.from('tail')]), 0)).toBe(xz.length);
    expect(zstdFramesEnd(Buffer.concat([zstd, Buffer.from('junk')]), 0)).toBe(zstd.length);
  });

  it('reads names padded with extra NULs (dracut-cpio) and a leading ./', () => {
    const entry = (name: string, data: string) => {
      const nameBytes = Buffer.concat([Buffer.from(name), Buffer.alloc(9)]);
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      const h = '070701' + [1, 0o100644, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0].map(hex).join('');
      const head = Buffer.concat([Buffer.from(h), nameBytes]);
      return Buffer.concat([head, Buffer.alloc((4 - (head.length % 4)) % 4), Buffer.from(data), Buffer.alloc((4 - (data.length % 4)) % 4)]);
    };
    const trailer = writeNewc([]);
    const files = readInitrd(Buffer.concat([entry('./config.ign', '{}'), entry('dir/x', 'zzzzz'), trailer]), codecs);
    expect(files.get('config.ign')!.toString()).toBe('{}');
    expect(files.get('dir/x')!.toString()).toBe('zzzzz');
  });

  it('unwrap finds no config in an initrd without one, and explains a corrupt stream', () => {
    expect(unwrapConfig(gzipSync(gnuCpio({ a: 'b' })), codecs)).toBeUndefined();
    const xz = execFileSync('xz', ['-c', '--check=crc32'], { input: gnuCpio({ 'config.ign': '{}' }) });
    expect(() => unwrapConfig(xz.subarray(0, xz.length - 20), codecs)).toThrow(/xz stream at byte 0 has no footer/);
  });

  it.skipIf(!fs.existsSync(CLI))('the CLI wraps a file (transpiling Butane) and unwraps it; stdout is refused only for a terminal', () => {
    const bu = path.join(tmp, 'c.bu');
    fs.writeFileSync(bu, 'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: hi\n');
    const out = path.join(tmp, 'wrapped.img');
    execFileSync(process.execPath, [CLI, 'initrd', 'wrap', '-i', bu, '-o', out]);
    expect((fs.statSync(out).mode & 0o777).toString(8)).toBe('600');
    const json = JSON.parse(execFileSync(process.execPath, [CLI, 'initrd', 'unwrap', out], { encoding: 'utf8' }));
    expect(json.ignition.version).toBe('3.4.0');
    expect(json.storage.files[0].path).toBe('/etc/motd');
    // From stdin to stdout, as in a pipeline.
    const piped = execFileSync(process.execPath, [CLI, 'initrd', 'wrap'], { input: CONFIG });
    expect(execFileSync(process.execPath, [CLI, 'initrd', 'unwrap', '-'], { input: piped })).toEqual(CONFIG);
  });

  it.skipIf(!fs.existsSync(CLI))('the CLI unwraps the config appended to an initramfs larger than a config may be (PXE)', () => {
    // An initramfs is tens of MiB, past the 64 MiB bound on a config: stand-in of 80 MiB of
    // archive padding, then the wrapped config, as `cat initramfs.img wrapped.img` makes it.
    const wrapped = execFileSync(process.execPath, [CLI, 'initrd', 'wrap'], { input: CONFIG });
    const big = path.join(tmp, 'initramfs+config.img');
    fs.writeFileSync(big, Buffer.concat([Buffer.alloc(80 * 1048576), wrapped]));
    expect(execFileSync(process.execPath, [CLI, 'initrd', 'unwrap', big])).toEqual(CONFIG);
    fs.rmSync(big);
  });

  it.skipIf(!fs.existsSync(CLI))('the CLI refuses an invalid config with its line, and an initrd without config', () => {
    const bad = path.join(tmp, 'bad.ign');
    fs.writeFileSync(bad, '{"ignition":{"version":"3.4.0"},\n "storage":{"files":[{"path":"etc/x"}]}}');
    const r = spawnSync(process.execPath, [CLI, 'initrd', 'wrap', '-i', bad, '-o', path.join(tmp, 'never.img')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.ign:2:\d+: error: path not absolute/);
    expect(fs.existsSync(path.join(tmp, 'never.img'))).toBe(false);
    const plain = path.join(tmp, 'plain.img');
    fs.writeFileSync(plain, gzipSync(gnuCpio({ 'etc/x': 'y' })));
    const u = spawnSync(process.execPath, [CLI, 'initrd', 'unwrap', plain], { encoding: 'utf8' });
    expect(u.status).toBe(1);
    expect(u.stderr).toContain('no config.ign in');
  });
});
