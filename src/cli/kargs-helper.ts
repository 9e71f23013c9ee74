// kindling kargs-helper (also installed as `ignition-kargs-helper`): the distribution side of
// Ignition's kargs contract. Edits the `options` line of every BLS entry on the boot partition,
// then, inside an initramfs, reboots when anything changed so the new arguments take effect
// before the first boot goes on (Ignition reruns from the top on the next boot).
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { applyKargs } from '../bootloader/kargs.js';
import { realHost } from '../host/host.js';
import { defaultPaths } from '../host/tools.js';

const USAGE = `usage: kindling kargs-helper [--should-exist ARG]... [--should-not-exist ARG]...
                            [--boot-dir DIR | --boot-device DEV] [--no-reboot]

Adds each --should-exist argument (in order, only where missing) to, and removes every
--should-not-exist argument from, the options line of each boot loader entry
(loader/entries/*.conf) on the boot partition (the filesystem labelled "boot"). Inside an
initramfs it reboots when it changed anything, unless --no-reboot.

  --boot-dir DIR      the boot filesystem is already mounted at DIR
  --boot-device DEV   mount DEV instead of looking for the label
`;

export async function main(argv: string[]): Promise<number> {
  let a;
  try {
    a = parseArgs({
      args: argv,
      options: {
        'should-exist': { type: 'string', multiple: true, default: [] },
        'should-not-exist': { type: 'string', multiple: true, default: [] },
        'boot-dir': { type: 'string' },
        'boot-device': { type: 'string' },
        'no-reboot': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`kindling kargs-helper: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const host = realHost();
  try {
    const changed = await applyKargs(host, {
      shouldExist: a['should-exist'] as string[],
      shouldNotExist: a['should-not-exist'] as string[],
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
