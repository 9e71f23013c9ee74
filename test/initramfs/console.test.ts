// Reading a guest's console: stage times from the journal (guest clock) or from systemd's status
// lines (host clock), and the timing line each boot scenario prints. Pure; no QEMU.
import { describe, expect, it } from 'vitest';
import { guestArgv, stageTimes, timingReport, type ConsoleLine } from '../../initramfs/qemu/guest.js';

const at = (ms: number, text: string): ConsoleLine => ({ ms, text });

describe('stage times', () => {
  it('prefer the journal lines, which carry the guest clock', () => {
    const lines = [
      at(1000, '[   10.500000] systemd[1]: Starting kindling-fetch-offline.service - Kindling (fetch-offline)...'),
      at(1100, '         Starting kindling-fetch-offline.service...'),
      at(9000, '[   12.250000] systemd[1]: Finished kindling-fetch-offline.service - Kindling (fetch-offline).'),
      at(9500, '[   13.000000] systemd[1]: Starting kindling-files.service - Kindling (files)...'),
      at(9900, '[   14.000000] systemd[1]: Failed to start kindling-files.service - Kindling (files).'),
    ];
    expect(stageTimes(lines)).toEqual([
      { stage: 'fetch-offline', startMs: 10500, endMs: 12250, result: 'finished' },
      { stage: 'files', startMs: 13000, endMs: 14000, result: 'failed' },
    ]);
  });

  it('fall back to status lines timed on arrival, even when a spinner frame shares the line', () => {
    const lines = [
      at(2000, '         Starting kindling-disks.service...'),
      at(7000, '[***   ] Job kindling-disks.service/start running (4s / no limit)[  OK  ] Finished kindling-disks.service.'),
    ];
    expect(stageTimes(lines)).toEqual([{ stage: 'disks', startMs: 2000, endMs: 7000, result: 'finished' }]);
    const report = timingReport('x', {
      lines: [...lines, at(8000, '@@KINDLING-ROOT-INIT@@ uptime=7.1')],
      console: '',
      wallMs: 8100,
      timedOut: false,
      silent: false,
      exitCode: 0,
    });
    expect(report).toBe('x: systemd up -, switch-root -, root init 8.0 s, power-off 8.1 s\n  stages: disks 5.0 s');
  });
});

describe('guest command line', () => {
  it('TCG only, no NIC unless asked, disks in order with optional serials, fw_cfg entries', () => {
    const argv = guestArgv({
      kernel: 'k',
      initrd: 'i',
      append: 'a b',
      disks: ['r.img', { file: 'd.img', serial: 'data' }],
      fwCfg: [{ name: 'opt/com.coreos/config', file: 'c.ign' }],
      timeoutMs: 1,
    });
    expect(argv.slice(0, 2)).toEqual(['-accel', 'tcg,thread=multi']);
    expect(argv.join(' ')).toContain(
      '-drive file=r.img,if=none,id=disk0,format=raw -device virtio-blk-pci,drive=disk0 -drive file=d.img,if=none,id=disk1,format=raw -device virtio-blk-pci,drive=disk1,serial=data',
    );
    expect(argv.join(' ')).toContain('-fw_cfg name=opt/com.coreos/config,file=c.ign');
    expect(argv.slice(-2)).toEqual(['-nic', 'none']);
    expect(guestArgv({ kernel: 'k', initrd: 'i', append: '', disks: [], net: true, timeoutMs: 1 }).slice(-2)).toEqual(['-nic', 'user,model=virtio-net-pci']);
  });
});
