// The providers that need no network: each against the real thing it reads, or a faithful stand-in.
// file: real files. qemu: a fake sysfs root with the fw_cfg entry (the seam), and on s390x/ppc64le
// a real loop device carrying the config. hyperv: KVP pool files in the real record format.
// nvidiabluefield: the bootfifo in a fake sysfs. vmware, virtualbox, zvm and applehv: stub
// vmware-rpctool, VBoxControl, vmur/chccwdev/cio_ignore, socat and modprobe on PATH, which keep
// their state in files and record every argv.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeKvpPool, parseKvpPool } from '../../src/providers/hyperv.js';
import { VSOCK_ADDRESS } from '../../src/providers/applehv.js';
import { getProvider } from '../../src/providers/registry.js';
import { makeCtx, outcome, stubDir, tmpDir, type CtxOptions } from './helpers.js';

const CONFIG = '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/prov-test","contents":{"source":"data:,hello"}}]}}\n';
const stubs = stubDir();
const state = path.join(stubs.dir, 'state');
let dir: string;
const savedPath = process.env.PATH;

beforeAll(() => {
  fs.mkdirSync(state);
  process.env.PATH = `${stubs.dir}:${savedPath}`;
  stubs.add('modprobe', `[ -e '${state}/modprobe-fails' ] && { echo "modprobe: FATAL: Module $1 not found." >&2; exit 1; }; exit 0`);
});
afterAll(() => {
  process.env.PATH = savedPath;
  stubs.cleanup();
});
beforeEach(() => {
  stubs.reset();
  for (const f of fs.readdirSync(state)) fs.rmSync(path.join(state, f), { recursive: true });
  dir = tmpDir('local');
  return () => fs.rmSync(dir, { recursive: true, force: true });
});

const write = (rel: string, data: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), data);
};
const ctxWith = (o: CtxOptions = {}) => makeCtx({ ...o, seams: { sysRoot: path.join(dir, 'sys'), ...o.seams } });
const fetch = (id: string, o: CtxOptions = {}) => getProvider(id)!.fetch(ctxWith(o));
const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('metal and file', () => {
  it('metal has nothing to give', async () => {
    expect(await fetch('metal')).toEqual({ config: null });
  });

  it('file reads IGNITION_CONFIG_FILE, else config.ign in the working directory', async () => {
    write('elsewhere.ign', CONFIG);
    write('config.ign', '{"ignition":{"version":"3.0.0"}}');
    expect(text((await fetch('file', { env: { IGNITION_CONFIG_FILE: path.join(dir, 'elsewhere.ign') } })).config)).toBe(CONFIG);
    const ctx = ctxWith({ cwd: dir });
    expect(text((await getProvider('file')!.fetch(ctx)).config)).toBe('{"ignition":{"version":"3.0.0"}}');
    expect(ctx.log.lines).toEqual(['INFO: using default filename', 'INFO: using config file at "config.ign"']);
  });

  it('file without its file fails with Go-worded errors', async () => {
    expect((await outcome(fetch('file', { cwd: dir }))).error?.message).toBe('open config.ign: no such file or directory');
    fs.mkdirSync(path.join(dir, 'd.ign'));
    expect((await outcome(fetch('file', { cwd: dir, env: { IGNITION_CONFIG_FILE: 'd.ign' } }))).error?.message).toBe('read d.ign: is a directory');
  });

  it('file works offline', async () => {
    write('config.ign', CONFIG);
    expect(text((await fetch('file', { cwd: dir, offline: true })).config)).toBe(CONFIG);
  });
});

describe('qemu fw_cfg (x86, arm)', () => {
  const entry = 'sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config';

  it('reads the blob through sysfs, offline too, without modprobe when the driver is there', async () => {
    write(`${entry}/size`, `${Buffer.byteLength(CONFIG)}\n`);
    write(`${entry}/raw`, CONFIG);
    expect(text((await fetch('qemu', { offline: true, seams: { arch: 'x64' } })).config)).toBe(CONFIG);
    expect(stubs.calls('modprobe')).toEqual([]);
  });

  it('loads qemu_fw_cfg first when it is missing; no blob = no config', async () => {
    const ctx = ctxWith({ seams: { arch: 'arm64' } });
    expect(await getProvider('qemu')!.fetch(ctx)).toEqual({ config: null });
    expect(stubs.calls('modprobe')).toEqual([['qemu_fw_cfg']]);
    expect(ctx.log.lines).toContain('INFO: QEMU firmware config was not found. Ignoring...');
  });

  it('fails when modprobe fails, or when size and blob disagree', async () => {
    write('state/modprobe-fails', '');
    fs.writeFileSync(path.join(state, 'modprobe-fails'), '');
    expect((await outcome(fetch('qemu', { seams: { arch: 'x64' } }))).error?.message).toMatch(
      /^exit status 1: Cmd: ".*modprobe" "qemu_fw_cfg" .*Module qemu_fw_cfg not found/,
    );
    fs.rmSync(path.join(state, 'modprobe-fails'));
    write(`${entry}/size`, '5\n');
    write(`${entry}/raw`, 'toolong');
    expect((await outcome(fetch('qemu', { seams: { arch: 'x64' } }))).error?.message).toBe('missing EOF');
    write(`${entry}/size`, '50\n');
    expect((await outcome(fetch('qemu', { seams: { arch: 'x64' } }))).error?.message).toBe('EOF');
    write(`${entry}/size`, 'x\n');
    expect((await outcome(fetch('qemu', { seams: { arch: 'x64' } }))).error?.message).toBe('strconv.Atoi: parsing "x": invalid syntax');
  });
});

const isRoot = process.getuid?.() === 0;
describe('qemu virtio-blk (s390x, ppc64le)', () => {
  it.skipIf(!isRoot)('reads the disk with serial "ignition" on a real loop device, NUL padding trimmed', async () => {
    const img = path.join(dir, 'ignition.img');
    fs.writeFileSync(img, Buffer.concat([Buffer.from(CONFIG), Buffer.alloc(1024 * 1024 - CONFIG.length)]));
    const loop = spawnSync('losetup', ['--show', '-f', img], { encoding: 'utf8' });
    if (loop.status !== 0) return void console.warn(`skipping the virtio-blk loop test: ${loop.stderr.trim()}`);
    const dev = loop.stdout.trim();
    try {
      // by-id link, as udev makes it
      fs.mkdirSync(path.join(dir, 'by-id'));
      fs.symlinkSync(dev, path.join(dir, 'by-id/virtio-ignition'));
      write('sys/bus/virtio/drivers/virtio_blk/.keep', '');
      expect(text((await fetch('qemu', { seams: { arch: 's390x', byIdDir: path.join(dir, 'by-id') } })).config)).toBe(CONFIG);
      expect(stubs.calls('modprobe')).toEqual([]);
      // no udev: found by its serial in sysfs
      write(`sys/block/${path.basename(dev)}/serial`, 'ignition\n');
      const ctx = ctxWith({ seams: { arch: 'ppc64', byIdDir: path.join(dir, 'no-udev') } });
      expect(text((await getProvider('qemu')!.fetch(ctx)).config)).toBe(CONFIG);
      expect(ctx.log.lines).toContain('WARNING: Fetching the Ignition config via the Virtio block driver is currently experimental and subject to change.');
    } finally {
      spawnSync('losetup', ['-d', dev]);
    }
  });

  it('waits for the disk (5 s polls, 5 min limit, scaled here) and says so when it never comes', async () => {
    fs.mkdirSync(path.join(dir, 'by-id'));
    const ctx = ctxWith({ seams: { arch: 's390x', byIdDir: path.join(dir, 'by-id'), waitScale: 0.001 } });
    const r = await outcome(getProvider('qemu')!.fetch(ctx));
    expect(r.error?.message).toBe('timed out after 300ms waiting for block device "/dev/disk/by-id/virtio-ignition" to appear');
    expect(stubs.calls('modprobe')).toEqual([['virtio_blk']]);
    expect(ctx.log.lines.filter((l) => l.includes('not found. Waiting...')).length).toBeGreaterThan(10);
  });

  it('takes a disk that appears late', async () => {
    fs.mkdirSync(path.join(dir, 'by-id'));
    setTimeout(() => write('by-id/virtio-ignition', `${CONFIG}\0\0\0`), 100);
    expect(text((await fetch('qemu', { seams: { arch: 's390x', byIdDir: path.join(dir, 'by-id'), waitScale: 0.01 } })).config)).toBe(CONFIG);
  });
});

describe('hyperv KVP', () => {
  const pool = (n: number, pairs: { key: string; value: string }[]) => write(`kvp/.kvp_pool_${n}`, encodeKvpPool(pairs));

  it('reads ignition.config from pool 0 and hands every pool to the files stage (0600)', async () => {
    write('sys/bus/vmbus/drivers/hv_utils/.keep', '');
    pool(0, [
      { key: 'hostname', value: 'vm1' },
      { key: 'ignition.config', value: CONFIG },
    ]);
    pool(3, [{ key: 'guest', value: 'x' }]);
    const got = await fetch('hyperv', { offline: true, seams: { kvpDir: path.join(dir, 'kvp') } });
    expect(text(got.config)).toBe(CONFIG);
    expect(got.files!.map((f) => [f.path, f.mode])).toEqual([0, 1, 2, 3, 4].map((n) => [`/var/lib/hyperv/.kvp_pool_${n}`, 0o600]));
    expect(parseKvpPool(Buffer.from(got.files![0].contents, 'base64'))).toEqual([
      { key: 'hostname', value: 'vm1' },
      { key: 'ignition.config', value: CONFIG },
    ]);
    expect(parseKvpPool(Buffer.from(got.files![3].contents, 'base64'))).toEqual([{ key: 'guest', value: 'x' }]);
    expect(got.files![1].contents).toBe('');
    expect(stubs.calls('modprobe')).toEqual([]);
  });

  it('concatenates split keys (each value holds at most ~1 KiB)', async () => {
    const parts = CONFIG.match(/.{1,40}/gs)!;
    pool(0, parts.map((value, i) => ({ key: `ignition.config.${i}`, value })).reverse());
    const got = await fetch('hyperv', { seams: { kvpDir: path.join(dir, 'kvp') } });
    expect(text(got.config)).toBe(CONFIG);
    expect(stubs.calls('modprobe')).toEqual([['hv_utils']]);
  });

  it('no key = no config, still with the pool files', async () => {
    pool(0, [{ key: 'hostname', value: 'vm1' }]);
    const got = await fetch('hyperv', { seams: { kvpDir: path.join(dir, 'kvp') } });
    expect(got.config).toBeNull();
    expect(got.files).toHaveLength(5);
  });
});

describe('nvidiabluefield', () => {
  const fifo = 'sys/bus/platform/devices/MLNXBF04:00/bootfifo';
  it('loads mlxbf_bootctl and reads the boot FIFO, NULs trimmed', async () => {
    write(fifo, Buffer.concat([Buffer.alloc(3), Buffer.from(CONFIG), Buffer.alloc(5)]));
    expect(text((await fetch('nvidiabluefield', { offline: true })).config)).toBe(CONFIG);
    expect(stubs.calls('modprobe')).toEqual([['mlxbf_bootctl']]);
  });
  it('an empty or absent FIFO = no config', async () => {
    expect((await fetch('nvidiabluefield')).config).toBeNull();
    write(fifo, '');
    const ctx = ctxWith();
    expect((await getProvider('nvidiabluefield')!.fetch(ctx)).config).toBeNull();
    expect(ctx.log.lines).toContain(`INFO: ${path.join(dir, fifo)} is empty`);
  });
});

describe('vmware guestinfo (stub vmware-rpctool)', () => {
  const store = () => path.join(state, 'guestinfo');
  beforeEach(() => {
    fs.mkdirSync(store());
    stubs.add(
      'vmware-rpctool',
      `[ -e '${state}/not-vmware' ] && { echo "Failed sending message to VMware." >&2; exit 1; }
cmd="$1"
case "$cmd" in
  "info-get guestinfo."*) k="\${cmd#info-get guestinfo.}"
    if [ -f '${store()}'/"$k" ]; then cat '${store()}'/"$k"; echo; else echo "No value found" >&2; exit 1; fi ;;
  "info-set guestinfo."*) rest="\${cmd#info-set guestinfo.}"; k="\${rest%% *}"; printf '%s' "\${rest#* }" > '${store()}'/"$k" ;;
  *) echo "Unknown command" >&2; exit 1 ;;
esac`,
    );
  });
  const set = (k: string, v: string) => fs.writeFileSync(path.join(store(), k), v);
  const get = (k: string) => (fs.existsSync(path.join(store(), k)) ? fs.readFileSync(path.join(store(), k), 'utf8') : undefined);
  const ovf = (props: Record<string, string>) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1">\n  <PropertySection>\n${Object.entries(
      props,
    )
      .map(([k, v]) => `    <Property oe:key="${k}" oe:value="${v}"/>`)
      .join('\n')}\n  </PropertySection>\n</Environment>`;

  it('reads the variables in Ignition order, decoding gzip+base64, offline too', async () => {
    set('ignition.config.data', gzipSync(CONFIG).toString('base64'));
    set('ignition.config.data.encoding', 'gzip+base64');
    expect(text((await fetch('vmware', { offline: true })).config)).toBe(CONFIG);
    expect(stubs.calls('vmware-rpctool')).toEqual([
      ['info-get guestinfo.ovfenv'],
      ['info-get guestinfo.ignition.config.data'],
      ['info-get guestinfo.ignition.config.data.encoding'],
    ]);
  });

  it('falls back to the OVF environment; direct variables win over it', async () => {
    set('ovfenv', ovf({ 'guestinfo.ignition.config.data': Buffer.from(CONFIG).toString('base64'), 'guestinfo.ignition.config.data.encoding': 'base64' }));
    expect(text((await fetch('vmware')).config)).toBe(CONFIG);
    set('ignition.config.data', '{"ignition":{"version":"3.0.0"}}');
    set('ignition.config.data.encoding', '');
    expect(text((await fetch('vmware')).config)).toBe('{"ignition":{"version":"3.0.0"}}');
  });

  it('nothing set = no config; outside VMware there is no provider; bad encodings fail', async () => {
    expect((await fetch('vmware')).config).toBeNull();
    set('ignition.config.data', CONFIG);
    set('ignition.config.data.encoding', 'rot13');
    expect((await outcome(fetch('vmware'))).error?.message).toBe('unsupported encoding "rot13"');
    fs.writeFileSync(path.join(state, 'not-vmware'), '');
    expect((await outcome(fetch('vmware'))).error?.message).toBe('config provider was not online');
  });

  it('delConfig overwrites the config with e30K/base64 and prunes the OVF environment', async () => {
    set('ignition.config.data', CONFIG);
    set('ovfenv', ovf({ 'guestinfo.hostname': 'h1', 'guestinfo.ignition.config.data': 'abc', 'guestinfo.ignition.config.data.encoding': 'base64' }));
    const ctx = ctxWith();
    await getProvider('vmware')!.delConfig!(ctx);
    expect(get('ignition.config.data')).toBe('e30K');
    expect(get('ignition.config.data.encoding')).toBe('base64');
    expect(get('ovfenv')).toBe(ovf({ 'guestinfo.hostname': 'h1' }).replace('\n  </PropertySection>', '\n    \n    \n  </PropertySection>'));
    expect(stubs.calls('vmware-rpctool').map((a) => a[0].split(' ').slice(0, 2).join(' '))).toEqual([
      'info-get guestinfo.ignition.config.data',
      'info-set guestinfo.ignition.config.data',
      'info-get guestinfo.ignition.config.data.encoding',
      'info-set guestinfo.ignition.config.data.encoding',
      'info-get guestinfo.ovfenv',
      'info-set guestinfo.ovfenv',
    ]);
    // the deleted config reads back as "{}" and a second run has nothing to do
    expect(text((await fetch('vmware')).config)).toBe('{}\n');
    stubs.reset();
    await getProvider('vmware')!.delConfig!(ctx);
    expect(stubs.calls('vmware-rpctool')).toEqual([['info-get guestinfo.ignition.config.data'], ['info-get guestinfo.ovfenv']]);
  });
});

describe('virtualbox guest properties (stub VBoxControl)', () => {
  const props = () => path.join(state, 'props');
  beforeEach(() => {
    fs.mkdirSync(props());
    stubs.add(
      'VBoxControl',
      `[ "$1" = --nologo ] || { echo "Oracle VM VirtualBox Guest Additions Command Line Management Interface"; }
[ "$2 $3" = "guestproperty get" ] && { f='${props()}'/$(printf '%s' "$4" | tr / _)
  if [ -f "$f" ]; then printf 'Value: '; cat "$f"; echo; exit 0; else echo "No value set!"; exit 1; fi; }
[ "$2 $3" = "guestproperty set" ] && { f='${props()}'/$(printf '%s' "$4" | tr / _)
  [ -e '${state}/readonly' ] && { echo "VBoxControl: error: Failed to store the property value, error VERR_PERMISSION_DENIED" >&2; exit 1; }
  if [ $# -ge 5 ]; then printf '%s' "$5" > "$f"; else rm -f "$f"; fi; exit 0; }
exit 2`,
    );
  });
  const set = (name: string, v: string) => fs.writeFileSync(path.join(props(), name.replace(/\//g, '_')), v);

  it('reads /Ignition/Config after checking that no encoding is set, offline too', async () => {
    set('/Ignition/Config', CONFIG.trimEnd());
    expect(text((await fetch('virtualbox', { offline: true })).config)).toBe(CONFIG.trimEnd());
    expect(stubs.calls('VBoxControl')).toEqual([
      ['--nologo', 'guestproperty', 'get', '/Ignition/Config/Encoding'],
      ['--nologo', 'guestproperty', 'get', '/Ignition/Config'],
    ]);
  });

  it('no property = no config; an encoding is refused', async () => {
    expect((await fetch('virtualbox')).config).toBeNull();
    set('/Ignition/Config/Encoding', 'gzip');
    expect((await outcome(fetch('virtualbox'))).error?.message).toBe('unsupported "/Ignition/Config/Encoding" value "gzip"');
  });

  it('delConfig deletes both properties; a read-only property says so', async () => {
    set('/Ignition/Config', CONFIG);
    set('/Ignition/Config/Encoding', '');
    await getProvider('virtualbox')!.delConfig!(ctxWith());
    expect(fs.readdirSync(props())).toEqual([]);
    expect(stubs.calls('VBoxControl')).toEqual([
      ['--nologo', 'guestproperty', 'set', '/Ignition/Config/Encoding'],
      ['--nologo', 'guestproperty', 'set', '/Ignition/Config'],
    ]);
    fs.writeFileSync(path.join(state, 'readonly'), '');
    expect((await outcome(getProvider('virtualbox')!.delConfig!(ctxWith()))).error?.message).toBe(
      'deleting VirtualBox guest property "/Ignition/Config/Encoding": VBoxControl: error: Failed to store the property value, error VERR_PERMISSION_DENIED; is the property read-only?',
    );
  });
});

describe('zvm reader (stub vmur, chccwdev, cio_ignore, udevadm)', () => {
  const LIST = [
    'ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME      TYPE     DIST',
    'RSCS     0004 V DMP 00001234 001 NONE 06/11 15:07:42 VMDUMP    FILE     RSCS',
    'T6360025 0007 A PUN 00000012 001 NONE 06/12 09:00:00 config    ign      T6360025',
    '',
  ].join('\n');
  beforeEach(() => {
    fs.writeFileSync(path.join(state, 'list'), LIST);
    stubs.add('chccwdev', `[ -e '${state}/offline-reader' ] && [ ! -e '${state}/exposed' ] && { echo "Device 0.0.000c not found" >&2; exit 1; }; exit 0`);
    stubs.add('cio_ignore', `touch '${state}/exposed'`);
    stubs.add('udevadm', 'exit 0');
    stubs.add('vmur', `case "$1" in li) cat '${state}/list' ;; re) printf '\\0\\0%s\\0' '${CONFIG.trimEnd()}' > "$4" ;; *) exit 1 ;; esac`);
  });

  it('brings the reader online, lists it, receives the ign spool file', async () => {
    write('udev-control', '');
    const got = await fetch('zvm', { offline: true, paths: { udevControl: path.join(dir, 'udev-control') } });
    expect(text(got.config)).toBe(CONFIG.trimEnd());
    expect(stubs.calls('modprobe')).toEqual([['vmur']]);
    expect(stubs.calls('chccwdev')).toEqual([['-e', '000c']]);
    expect(stubs.calls('cio_ignore')).toEqual([]);
    expect(stubs.calls('udevadm')).toEqual([['settle']]);
    const vmur = stubs.calls('vmur');
    expect(vmur[0]).toEqual(['li']);
    expect(vmur[1].slice(0, 3)).toEqual(['re', '-f', '0007']);
    expect(path.basename(vmur[1][3])).toBe('config.ign');
    expect(fs.existsSync(path.dirname(vmur[1][3]))).toBe(false); // the private directory is gone
  });

  it('exposes a reader hidden by cio_ignore; no ign file = no config; no udevd = no settle', async () => {
    fs.writeFileSync(path.join(state, 'offline-reader'), '');
    fs.writeFileSync(
      path.join(state, 'list'),
      LIST.split('\n')
        .filter((l) => !l.includes(' ign '))
        .join('\n'),
    );
    const got = await fetch('zvm', { paths: { udevControl: path.join(dir, 'absent') } });
    expect(got.config).toBeNull();
    expect(stubs.calls('chccwdev')).toEqual([
      ['-e', '000c'],
      ['-e', '000c'],
    ]);
    expect(stubs.calls('cio_ignore')).toEqual([['-r', '000c']]);
    expect(stubs.calls('udevadm')).toEqual([]);
  });

  it('a missing vmur module is an error in Ignition words', async () => {
    fs.writeFileSync(path.join(state, 'modprobe-fails'), '');
    expect((await outcome(fetch('zvm'))).error?.message).toMatch(/^couldn't install vmur module: exit status 1: /);
  });
});

describe('applehv over vsock (stub socat)', () => {
  beforeEach(() => {
    stubs.add('socat', `cat > '${state}/request'; cat '${state}/response'`);
  });
  const respond = (raw: string) => fs.writeFileSync(path.join(state, 'response'), raw);

  it('sends one HTTP GET to CID 2 port 1024 and takes the body, offline too', async () => {
    write('sys/devices/virtual/misc/vsock/.keep', '');
    respond(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(CONFIG)}\r\n\r\n${CONFIG}`);
    expect(text((await fetch('applehv', { offline: true, fetchTimeoutMs: 5000 })).config)).toBe(CONFIG);
    expect(stubs.calls('socat')).toEqual([['-t', '5', '-T', '5', '-', VSOCK_ADDRESS]]);
    const req = fs.readFileSync(path.join(state, 'request'), 'utf8');
    expect(req).toMatch(/^GET \/ HTTP\/1\.0\r\nHost: d\r\n/);
    expect(req).toContain('\r\nAccept: application/json\r\n');
    expect(req.endsWith('\r\n\r\n')).toBe(true);
    expect(stubs.calls('modprobe')).toEqual([]);
  });

  it('loads vsock when missing; a 404 is resource not found', async () => {
    respond('HTTP/1.0 404 Not Found\r\nContent-Length: 19\r\n\r\n404 page not found\n');
    expect((await outcome(fetch('applehv'))).error?.message).toBe('resource not found');
    expect(stubs.calls('modprobe')).toEqual([['vsock']]);
  });
});
