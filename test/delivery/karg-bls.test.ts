// kindling karg (a config as ignition.config.url=data:...) and BLS options editing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDataUrl } from '../../src/config/url.js';
import { entryArgs as options, setArgInEntry } from '../../src/bootloader/bls.js';
import { DEFAULT_KARG_BUDGET, kernelArgument } from '../../src/delivery/karg.js';

const CLI = path.resolve('dist/kindling.cjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-karg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const small = { ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/motd', contents: { source: 'data:,hello%20world' } }] } };
const decodeArg = (arg: string) => decodeDataUrl(arg.slice('ignition.config.url='.length)).data;

describe('kernelArgument', () => {
  it('compacts JSON and picks the shorter data URL; the kernel-safe text decodes to the same config', () => {
    const r = kernelArgument(Buffer.from(JSON.stringify(small, null, 2)));
    expect(r.arg).toBeDefined();
    expect(r.arg).toMatch(/^ignition\.config\.url=data:/);
    // No blanks or quotes, which the kernel's parser would split or strip.
    expect(r.arg).not.toMatch(/[\s"]/);
    expect(JSON.parse(decodeArg(r.arg!).toString())).toEqual(small);
    expect(r.arg!.length).toBeLessThan(JSON.stringify(small, null, 2).length * 3);
  });

  it('refuses a config over the budget, saying how long it would be and whether gzip fits', () => {
    const big = {
      ignition: { version: '3.4.0' },
      passwd: {
        users: [
          { name: 'core', sshAuthorizedKeys: Array.from({ length: 20 }, (_, i) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'x'.repeat(43)} user${i}@host`) },
        ],
      },
    };
    const r = kernelArgument(Buffer.from(JSON.stringify(big)));
    expect(r.arg).toBeUndefined();
    expect(r.length).toBeGreaterThan(DEFAULT_KARG_BUDGET);
    expect(r.gzipLength).toBeLessThan(DEFAULT_KARG_BUDGET);
    const z = kernelArgument(Buffer.from(JSON.stringify(big)), { gzip: true });
    expect(JSON.parse(gunzipSync(decodeArg(z.arg!)).toString())).toEqual(big);
    expect(kernelArgument(Buffer.from(JSON.stringify(small)), { budget: 40 }).arg).toBeUndefined();
  });

  it.skipIf(!fs.existsSync(CLI))('the CLI prints the argument, or explains the limit and exits 1', () => {
    const file = path.join(tmp, 'small.ign');
    fs.writeFileSync(file, JSON.stringify(small));
    const ok = spawnSync(process.execPath, [CLI, 'karg', file], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(decodeArg(ok.stdout.trim()).toString())).toEqual(small);
    const no = spawnSync(process.execPath, [CLI, 'karg', '--max', '50', file], { encoding: 'utf8' });
    expect(no.status).toBe(1);
    expect(no.stdout).toBe('');
    expect(no.stderr).toMatch(/would be \d+ bytes, over the budget of 50 \(Linux keeps 2048 bytes of command line/);
    expect(spawnSync(process.execPath, [CLI, 'karg', '--max', '4096', file]).status).toBe(2);
  });
});

describe('BLS options', () => {
  const entry = 'title Debian\nversion 6.1\nlinux /vmlinuz\noptions root=LABEL=root ignition.platform.id=metal console=ttyS0\n';
  it('replaces the platform in place, appends it when absent, adds an options line when there is none', () => {
    const set = (text: string, v: string) => setArgInEntry(text, 'ignition.platform.id', v);
    const r = set(entry, 'qemu')!;
    expect(options(r)).toEqual(['root=LABEL=root', 'ignition.platform.id=qemu', 'console=ttyS0']);
    expect(r.split('\n').slice(0, 3)).toEqual(entry.split('\n').slice(0, 3));
    expect(set(r, 'qemu')).toBeNull();
    expect(options(set('options quiet ignition.platform.idx=1\n', 'aws')!)).toEqual(['quiet', 'ignition.platform.idx=1', 'ignition.platform.id=aws']);
    expect(set('title x\n', 'gcp')).toBe('title x\noptions ignition.platform.id=gcp\n');
    expect(options(set('options a ignition.platform.id=x b ignition.platform.id=y\n', 'z')!)).toEqual(['a', 'ignition.platform.id=z', 'b']);
  });
});
