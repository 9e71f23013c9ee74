// kindling kargs-helper (also installed as `ignition-kargs-helper`): the distribution side of
// Ignition's kargs contract. Edits the `options` line of every BLS entry on the boot partition
// (the filesystem labelled `boot`), then asks for a reboot when anything changed, so the new
// arguments take effect before the first boot goes on.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { editEntry } from '../bootloader/bls.js';
import { commandError, realHost, type Host } from '../host/host.js';
import { defaultPaths } from '../host/tools.js';

const USAGE = `usage: kindling kargs-helper [--should-exist ARG]... [--should-not-exist ARG]...
                            [--boot-dir DIR | --boot-device DEV] [--no-reboot]

Adds the --should-exist arguments (in order, each only if missing) to and removes every
--should-not-exist argument from the kernel command line of each boot loader entry
(loader/entries/*.conf) on the boot partition. Exits 0, and asks systemd to reboot inside an
initramfs when it changed anything (unless --no-reboot).

  --boot-dir DIR      the boot filesystem is already mounted at DIR
  --boot-device DEV   mount DEV (default: the filesystem labelled "boot")
`;

/** The device holding the filesystem labelled `boot`; KINDLING_KARGS_DEVICES restricts the search. */
async function findBootDevice(host: Host, env: NodeJS.ProcessEnv): Promise<string> {
  const byLabel = '/dev/disk/by-label/boot';
  const allowed = env.KINDLING_KARGS_DEVICES?.split(',').filter(Boolean);
  if (!allowed && fs.existsSync(byLabel)) return fs.realpathSync(byLabel);
  const argv = [host.tools.blkid, '-o', 'device', '-t', 'LABEL=boot', ...(allowed ?? [])];
  const r = await host.run(argv);
  const dev = r.stdout.split('\n').find(Boolean);
  if (r.code !== 0 || !dev) throw new Error('no filesystem labelled "boot" found');
  return dev;
}

/** Edits every entry under `bootDir`; returns the names of the entries it changed. */
export function editEntries(bootDir: string, add: string[], del: string[]): string[] {
  const dir = path.join(bootDir, 'loader/entries');
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.conf')).sort();
  } catch {
    throw new Error(`no boot loader entries in ${dir}`);
  }
  if (names.length === 0) throw new Error(`no boot loader entries in ${dir}`);
  const changed: string[] = [];
  for (const n of names) {
    const p = path.join(dir, n);
    const next = editEntry(fs.readFileSync(p, 'utf8'), add, del);
    if (next === null) continue;
    const tmp = `${p}.kindling-tmp`;
    fs.writeFileSync(tmp, next, { mode: fs.statSync(p).mode & 0o7777 });
    fs.renameSync(tmp, p);
    changed.push(n);
  }
  return changed;
}

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
  const add = a['should-exist'] as string[];
  const del = a['should-not-exist'] as string[];
  let mnt: string | undefined;
  try {
    let bootDir = a['boot-dir'];
    if (!bootDir) {
      const dev = a['boot-device'] ?? (await findBootDevice(host, process.env));
      mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-'));
      const argv = [host.tools.mount, dev, mnt];
      const r = await host.run(argv);
      if (r.code !== 0) throw new Error(`mounting the boot partition: ${commandError(argv, r)}`);
      bootDir = mnt;
    }
    const changed = editEntries(bootDir, add, del);
    process.stdout.write(changed.length ? `kernel arguments changed in ${changed.join(', ')}\n` : 'kernel arguments already as requested\n');
    if (changed.length && !a['no-reboot'] && fs.existsSync(defaultPaths.initrdRelease)) {
      process.stdout.write('rebooting so that the new kernel arguments take effect\n');
      await host.run([host.tools.systemctl, 'reboot']);
    }
    return 0;
  } catch (e) {
    process.stderr.write(`kindling kargs-helper: ${(e as Error).message}\n`);
    return 1;
  } finally {
    if (mnt) {
      await host.run([host.tools.umount, mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
    }
  }
}
