// kindling kargs-helper (also installed as `ignition-kargs-helper`): the distribution side of
// Ignition's kargs contract. Edits the `options` line of every BLS entry on the boot partition,
// then, inside an initramfs, reboots when anything changed so the new arguments take effect
// before the first boot goes on (Ignition reruns from the top on the next boot).
import fs from 'node:fs';
import { applyKargs } from '../bootloader/kargs.js';
import { realHost } from '../host/host.js';
import { defaultPaths } from '../host/tools.js';
import { readCommandLine, type CommandSpec } from './args.js';

const SPEC = {
  name: 'kargs-helper',
  operands: '',
  summary:
    'Adds each --should-exist argument (in order, only where missing) to, and removes every\n--should-not-exist argument from, the options line of each boot loader entry\n(loader/entries/*.conf) on the boot partition (the filesystem labelled "boot"). Inside an\ninitramfs it reboots when it changed anything, unless --no-reboot.',
  maxOperands: 0,
  flags: {
    'should-exist': { value: 'ARG', multiple: true, help: 'a kernel argument that must be present (repeat for each)' },
    'should-not-exist': { value: 'ARG', multiple: true, help: 'a kernel argument that must be absent (repeat for each)' },
    'boot-dir': { value: 'DIR', help: 'the boot filesystem is already mounted at DIR' },
    'boot-device': { value: 'DEV', help: 'mount DEV instead of looking for the label' },
    'no-reboot': { help: 'do not reboot after a change' },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const a = cl.values;
  const host = realHost();
  try {
    const changed = await applyKargs(host, {
      shouldExist: a['should-exist'],
      shouldNotExist: a['should-not-exist'],
      bootDir: a['boot-dir'],
      bootDevice: a['boot-device'],
    });
    process.stdout.write(changed.length ? `kernel arguments changed in ${changed.join(', ')}\n` : 'kernel arguments already as requested\n');
    if (changed.length && !a['no-reboot'] && fs.existsSync(defaultPaths.initrdRelease)) {
      process.stdout.write('rebooting so that the new kernel arguments take effect\n');
      await host.run([host.tools.systemctl, 'reboot']);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`kindling kargs-helper: ${(e as Error).message}\n`);
    return 1;
  }
}
