// The pure pieces of the providers: decoders with Go's strictness and messages, the kernel command
// line parser, OVF environments, KVP pools, `vmur li` listings, raw HTTP responses, leases.
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseHttpResponse } from '../../src/providers/applehv.js';
import { leaseServerAddress } from '../../src/providers/cloudstack.js';
import { ignitionCmdline, parseKernelCmdline, readKernelCmdline } from '../../src/providers/cmdline.js';
import { decodeBase64, gunzip, looksGzipped, trimNuls, tryGunzip } from '../../src/providers/decode.js';
import { goPathError } from '../../src/providers/goerror.js';
import { metadataUrl } from '../../src/providers/http.js';
import { encodeKvpPool, kvpConfig, parseKvpPool } from '../../src/providers/hyperv.js';
import { deleteOvfProperties, readOvfProperties } from '../../src/providers/ovfenv.js';
import { packetEvent } from '../../src/providers/packet.js';
import { goDuration } from '../../src/providers/qemu.js';
import { isPlatformId, platformIds } from '../../src/providers/platforms.js';
import { getProvider } from '../../src/providers/registry.js';
import { decodeGuestinfo } from '../../src/providers/vmware.js';
import { parseVmurList } from '../../src/providers/zvm.js';
import { sharedPath } from '../support/corpus.js';
import { makeCtx } from './helpers.js';

describe('registry', () => {
  it('knows every platform id of current Ignition, sorted, and not the cmdline source', () => {
    // The reference's row for ignition's -platform flag: the 2.14 list, then what HEAD adds.
    const ref = sharedPath('reference/ignition.md');
    if (ref) {
      const row = fs.readFileSync(ref, 'utf8').match(/^\| `-platform` .*2\.14 list: ([a-z ]+) \(HEAD adds ([a-z ]+)\)/m);
      expect(row, 'the -platform row of ignition.md').toBeTruthy();
      expect(platformIds()).toEqual(`${row![1]} ${row![2]}`.split(' ').sort());
    }
    expect(platformIds()).toEqual([...platformIds()].sort());
    for (const id of platformIds()) expect(getProvider(id)?.id).toBe(id);
    for (const id of ['cmdline', 'nope', 'constructor', 'toString']) {
      expect(getProvider(id)).toBeUndefined();
      expect(isPlatformId(id)).toBe(false);
    }
  });

  it('gives delConfig to vmware and virtualbox, status to packet, init to aws only', () => {
    expect(platformIds().filter((id) => getProvider(id)!.delConfig)).toEqual(['virtualbox', 'vmware']);
    expect(platformIds().filter((id) => getProvider(id)!.status)).toEqual(['packet']);
    expect(platformIds().filter((id) => getProvider(id)!.init)).toEqual(['aws']);
  });
});

describe('decoders', () => {
  it('decodes base64 like Go: padded, CR/LF ignored', () => {
    expect(decodeBase64('aGVsbG8=').toString()).toBe('hello');
    expect(decodeBase64('aGVs\r\nbG8=\n').toString()).toBe('hello');
    expect(decodeBase64('').length).toBe(0);
  });

  it('refuses what Go refuses, naming the input byte', () => {
    expect(() => decodeBase64('aGVs bG8=')).toThrow('illegal base64 data at input byte 4');
    expect(() => decodeBase64('aGVsbG8')).toThrow('illegal base64 data at input byte 4');
    expect(() => decodeBase64('a=Vs')).toThrow('illegal base64 data at input byte 1');
    expect(() => decodeBase64('{"ignition":{}}')).toThrow('illegal base64 data at input byte 0');
  });

  it('gunzips only what sniffs as gzip, with Go error texts', () => {
    const gz = gzipSync('{"ignition":{"version":"3.4.0"}}');
    expect(looksGzipped(gz)).toBe(true);
    expect(tryGunzip(gz).toString()).toBe('{"ignition":{"version":"3.4.0"}}');
    expect(tryGunzip(Buffer.from('{}')).toString()).toBe('{}');
    expect(() => gunzip(Buffer.from('not gzip at all'))).toThrow('gzip: invalid header');
    expect(() => gunzip(gz.subarray(0, gz.length - 6))).toThrow('unexpected EOF');
  });

  it('trims NUL padding', () => {
    expect(trimNuls(Buffer.from('\0\0{}\0\0')).toString()).toBe('{}');
    expect(trimNuls(Buffer.from('\0{}\0'), true).toString()).toBe('\0{}');
  });

  it("decodes vmware's guestinfo encodings", () => {
    const cfg = '{"ignition":{"version":"3.4.0"}}';
    const b64 = Buffer.from(cfg).toString('base64');
    const gzb64 = gzipSync(cfg).toString('base64');
    expect(decodeGuestinfo(cfg, '').toString()).toBe(cfg);
    for (const enc of ['b64', 'base64']) expect(decodeGuestinfo(b64, enc).toString()).toBe(cfg);
    for (const enc of ['gz+base64', 'gzip+base64', 'gz+b64', 'gzip+b64']) expect(decodeGuestinfo(gzb64, enc).toString()).toBe(cfg);
    expect(() => decodeGuestinfo(cfg, 'base64')).toThrow('unable to decode base64: "illegal base64 data at input byte 0"');
    expect(() => decodeGuestinfo(cfg, 'xz')).toThrow('unsupported encoding "xz"');
    expect(() => decodeGuestinfo(cfg, 'gzip')).toThrow('gzip: invalid header');
  });
});

describe('kernel command line', () => {
  it('reads the three keys; the last one wins; empty values are absent', () => {
    expect(ignitionCmdline('BOOT_IMAGE=/vmlinuz root=/dev/vda ignition.firstboot ignition.platform.id=metal\n')).toEqual({ empty: [] });
    expect(ignitionCmdline('ignition.config.url=http://a/1 quiet ignition.config.url=http://b/2?x=y=z')).toEqual({ url: 'http://b/2?x=y=z', empty: [] });
    expect(ignitionCmdline('ignition.config.url=http://a/1 ignition.config.url=')).toEqual({ url: 'http://a/1', empty: ['ignition.config.url'] });
    expect(ignitionCmdline('ignition.config.device=CFG\tignition.config.path=/config.ign')).toEqual({ device: 'CFG', path: '/config.ign', empty: [] });
    expect(ignitionCmdline('ignition.config.urlx=1 xignition.config.url=2 ignition.config.url')).toEqual({ empty: [] });
  });

  it('groups quoted words as the kernel does (beyond Ignition, which splits on spaces only)', () => {
    expect(ignitionCmdline('ignition.config.path="/my config.ign" ignition.config.device=CFG')).toEqual({ device: 'CFG', path: '/my config.ign', empty: [] });
    const all = parseKernelCmdline('quiet root=/dev/vda1 dyndbg="file x.c +p" root=/dev/vda2');
    expect([...all]).toEqual([
      ['quiet', ''],
      ['root', '/dev/vda2'],
      ['dyndbg', 'file x.c +p'],
    ]);
  });

  it('reads IGNITION_KERNEL_CMDLINE_PATH, else /proc/cmdline, with Go-worded errors', () => {
    const fs = {
      readFileSync: (p: string) =>
        p === '/x/cmdline'
          ? 'ignition.config.url=data:,x'
          : (() => {
              throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
            })(),
    };
    expect(readKernelCmdline({ IGNITION_KERNEL_CMDLINE_PATH: '/x/cmdline' }, fs as never)).toBe('ignition.config.url=data:,x');
    expect(() => readKernelCmdline({}, fs as never)).toThrow('open /proc/cmdline: no such file or directory');
    expect(goPathError('open', 'config.ign', Object.assign(new Error(), { code: 'EISDIR' })).message).toBe('read config.ign: is a directory');
  });
});

const OVF = `<?xml version="1.0" encoding="UTF-8"?>
<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1" xmlns:ve="http://www.vmware.com/schema/ovfenv" oe:id="">
  <PlatformSection><Kind>VMware ESXi</Kind></PlatformSection>
  <PropertySection>
    <Property oe:key="guestinfo.hostname" oe:value="node-1"/>
    <Property oe:key="guestinfo.ignition.config.data" oe:value="eyJpZ25pdGlvbiI6e319&#10;"/>
    <Property oe:key="guestinfo.ignition.config.data.encoding" oe:value="base64"></Property>
  </PropertySection>
  <ve:EthernetAdapterSection><ve:Adapter ve:mac="00:50:56:00:00:01"/></ve:EthernetAdapterSection>
</Environment>`;

describe('OVF environment', () => {
  it('reads properties by key, entities decoded', () => {
    const p = readOvfProperties(OVF);
    expect(p.get('guestinfo.hostname')).toBe('node-1');
    expect(p.get('guestinfo.ignition.config.data')).toBe('eyJpZ25pdGlvbiI6e319\n');
    expect(p.get('guestinfo.ignition.config.data.encoding')).toBe('base64');
    expect(() => readOvfProperties('not xml')).toThrow();
  });

  it('deletes the config properties only, keeping the rest byte for byte', () => {
    const r = deleteOvfProperties(OVF, ['guestinfo.ignition.config.data', 'guestinfo.ignition.config.data.encoding']);
    expect(r.removed).toBe(true);
    expect(r.doc).not.toContain('ignition.config');
    expect(r.doc).toContain('<Property oe:key="guestinfo.hostname" oe:value="node-1"/>');
    expect(r.doc).toContain('<ve:Adapter ve:mac="00:50:56:00:00:01"/>');
    expect([...readOvfProperties(r.doc).keys()]).toEqual(['guestinfo.hostname']);
    expect(deleteOvfProperties(r.doc, ['guestinfo.ignition.config.data'])).toEqual({ doc: r.doc, removed: false });
  });

  it('leaves properties outside the OVF namespace alone, as Ignition does', () => {
    const foreign = OVF.replace(/oe:key="guestinfo.ignition.config.data"/, 'key="guestinfo.ignition.config.data"');
    const r = deleteOvfProperties(foreign, ['guestinfo.ignition.config.data']);
    expect(r.removed).toBe(false);
  });
});

describe('hyperv KVP pools', () => {
  it('round-trips records of a 512-byte key and a 2048-byte value', () => {
    const pairs = [
      { key: 'ignition.config', value: '{"ignition":{}}' },
      { key: 'other', value: 'x' },
    ];
    const pool = encodeKvpPool(pairs);
    expect(pool.length).toBe(2 * 2560);
    expect(pool.subarray(0, 15).toString()).toBe('ignition.config');
    expect(pool[15]).toBe(0);
    expect(pool.subarray(512, 527).toString()).toBe('{"ignition":{}}');
    expect(parseKvpPool(pool)).toEqual(pairs);
    expect(parseKvpPool(Buffer.concat([pool, Buffer.alloc(100)]))).toEqual(pairs); // partial record ignored
  });

  it('takes the single key, else the split keys in order until a gap', () => {
    expect(
      kvpConfig([
        { key: 'ignition.config', value: 'A' },
        { key: 'ignition.config.0', value: 'B' },
      ]),
    ).toBe('A');
    expect(
      kvpConfig([
        { key: 'ignition.config.1', value: 'b' },
        { key: 'ignition.config.0', value: 'a' },
        { key: 'ignition.config.3', value: 'd' },
      ]),
    ).toBe('ab');
    expect(
      kvpConfig([
        { key: 'ignition.config', value: '' },
        { key: 'ignition.config.0', value: 'x' },
      ]),
    ).toBe('x');
    expect(kvpConfig([])).toBe('');
  });
});

describe('small parsers', () => {
  it('lists z/VM reader spool files', () => {
    const li = [
      'ORIGINID FILE CLASS RECORDS  CPY HOLD DATE  TIME     NAME      TYPE     DIST',
      'RSCS     0004 V DMP 00001234 001 NONE 06/11 15:07:42 VMDUMP    FILE     RSCS',
      'T6360025 0007 A PUN 00000012 001 NONE 06/12 09:00:00 CONFIG    IGN      T6360025',
      'T6360025 0008 A PUN 00000012 001 NONE 06/12 09:00:00 config    ign      T6360025',
      '',
      'T6360025 0009 A PUN 00000012 001 NONE 06/12 09:00:00 after     ign      T6360025',
    ].join('\n');
    const files = parseVmurList(li);
    expect(files.map((f) => [f.spoolId, f.file, f.type])).toEqual([
      ['FILE', 'TYPE.DIST', 'DIST'], // the header parses as a record too; its type is never "ign"
      ['0004', 'VMDUMP.FILE', 'FILE'],
      ['0007', 'CONFIG.IGN', 'IGN'],
      ['0008', 'config.ign', 'ign'],
    ]);
  });

  it('parses raw HTTP responses, chunked or not', () => {
    const plain = parseHttpResponse(Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}trailing'));
    expect(plain).toEqual({ status: 200, headers: { 'content-type': 'application/json', 'content-length': '2' }, body: Buffer.from('{}') });
    const chunked = parseHttpResponse(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"a\r\n4;x=y\r\n":1}\r\n0\r\n\r\n'));
    expect(chunked.body.toString()).toBe('{"a":1}');
    expect(parseHttpResponse(Buffer.from('HTTP/1.0 404 Not Found\r\n\r\n')).status).toBe(404);
    expect(() => parseHttpResponse(Buffer.from('garbage'))).toThrow('malformed HTTP response');
  });

  it('finds the DHCP server in a networkd lease', () => {
    expect(leaseServerAddress('# This is private data.\nADDRESS=10.1.1.5\nSERVER_ADDRESS=10.1.1.1\nROUTER=10.1.1.1\n')).toBe('10.1.1.1');
    expect(leaseServerAddress('ADDRESS=10.1.1.5\n')).toBeNull();
  });

  it("formats durations like Go's time.Duration", () => {
    expect(goDuration(300_000)).toBe('5m0s');
    expect(goDuration(30_000)).toBe('30s');
    expect(goDuration(3000)).toBe('3s');
    expect(goDuration(3_723_000)).toBe('1h2m3s');
  });

  it("writes packet's events as Ignition does (Go's HTML-safe JSON)", () => {
    expect(packetEvent('fetch')).toBe('{"state":"running","message":"[fetch] Ignition status: finished successfully"}');
    expect(packetEvent('disks', new Error('a <b> & c'))).toBe('{"state":"failed","message":"[disks] Ignition error: a \\u003cb\\u003e \\u0026 c"}');
  });

  it('rebases metadata URLs onto the test origin, and only with the seam', () => {
    const ctx = makeCtx({ seams: { metadataOrigin: 'http://127.0.0.1:8080/' } });
    expect(metadataUrl(ctx, 'http://169.254.169.254/metadata/instance/compute/userData?api-version=2021-01-01&format=text')).toBe(
      'http://127.0.0.1:8080/metadata/instance/compute/userData?api-version=2021-01-01&format=text',
    );
    expect(metadataUrl(ctx, 'https://metadata.packet.net/userdata')).toBe('http://127.0.0.1:8080/userdata');
    expect(metadataUrl(makeCtx(), 'http://169.254.169.254/x')).toBe('http://169.254.169.254/x');
  });
});
