// Transpiler unit tests: boot_device: LUKS (TPM2, Tang, CEX) and mirroring rendered as storage, and
// its checks.
import { describe, expect, it } from 'vitest';
import { tr, ok, diags, type O } from '../helpers.js';

describe('boot_device', () => {
  it('renders LUKS with tang, threshold and tpm2', () => {
    const c = ok(`variant: fcos
version: 1.5.0
boot_device:
  luks:
    tpm2: true
    threshold: 2
    discard: true
    tang:
      - url: https://tang.example.com
        thumbprint: abc
`);
    expect(c.storage.luks).toEqual([
      {
        clevis: { tang: [{ thumbprint: 'abc', url: 'https://tang.example.com' }], threshold: 2, tpm2: true },
        device: '/dev/disk/by-partlabel/root',
        discard: true,
        label: 'luks-root',
        name: 'root',
        wipeVolume: true,
      },
    ]);
    expect(c.storage.filesystems).toEqual([{ device: '/dev/mapper/root', format: 'xfs', label: 'root', wipeFilesystem: true }]);
  });

  it('mirrors aarch64 with LUKS on md-root', () => {
    const c = ok(`variant: fcos
version: 1.7.0
boot_device:
  layout: aarch64
  mirror: {devices: [/dev/vda, /dev/vdb]}
  luks: {tpm2: true}
`);
    expect(c.storage.disks[1].partitions.map((p: O) => p.label)).toEqual(['reserved-2', 'esp-2', 'boot-2', 'root-2']);
    expect(c.storage.luks[0].device).toBe('/dev/md/md-root');
    expect(c.storage.filesystems.map((f: O) => f.device)).toEqual([
      '/dev/disk/by-partlabel/esp-1',
      '/dev/disk/by-partlabel/esp-2',
      '/dev/md/md-boot',
      '/dev/mapper/root',
    ]);
  });

  it('uses the DASD partition for s390x-eckd and cex keys', () => {
    const c = ok(`variant: fcos
version: 1.6.0
boot_device:
  layout: s390x-eckd
  luks:
    device: /dev/dasda
    cex: {enabled: true}
`);
    expect(c.storage.luks[0]).toEqual({ cex: { enabled: true }, device: '/dev/dasda2', label: 'luks-root', name: 'root', wipeVolume: true });
  });

  it('validates layouts, mirror sizes and methods', () => {
    expect(
      diags(`variant: fcos
version: 1.5.0
boot_device:
  layout: s390x-eckd
`),
    ).toEqual(['4:11 error layout must be one of: aarch64, ppc64le, x86_64']);
    expect(
      diags(`variant: fcos
version: 1.7.0
boot_device:
  layout: x86_64
  mirror: {devices: [/dev/vda]}
`),
    ).toEqual(['5:21 error mirroring requires at least two devices']);
    expect(
      diags(`variant: fcos
version: 1.7.0
boot_device:
  mirror: {devices: [/dev/vda, /dev/vdb]}
`),
    ).toEqual(['3:1 error a layout must be specified when mirroring the boot device']);
    expect(
      diags(`variant: fcos
version: 1.7.0
boot_device:
  luks: {device: /dev/vda}
`),
    ).toEqual(['4:9 error no method specified for luks']);
    expect(
      diags(`variant: fcos
version: 1.6.0
boot_device:
  layout: s390x-zfcp
  luks: {tpm2: true}
`),
    ).toEqual(['4:11 error device is required for layouts: s390x-eckd, s390x-zfcp']);
    expect(
      diags(`variant: fcos
version: 1.6.0
boot_device:
  layout: s390x-eckd
  luks: {device: /dev/sda, tpm2: true}
`),
    ).toEqual(['5:18 error device name must start with /dev/dasd on s390x-eckd layout or /dev/sd on s390x-zfcp layout']);
    expect(
      diags(`variant: fcos
version: 1.6.0
boot_device:
  layout: x86_64
  luks: {cex: {enabled: true}}
`),
    ).toEqual(['4:11 error when using cex the targeted architecture must match s390x']);
  });

  it('is only available from fcos 1.3.0, with a hint naming that version', () => {
    const r = tr(`variant: fcos
version: 1.2.0
boot_device: {luks: {tpm2: true}}
`);
    expect(r.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ['unused key boot_device', '`boot_device` needs fcos 1.3.0 or later; this config is version 1.2.0'],
    ]);
  });
});
