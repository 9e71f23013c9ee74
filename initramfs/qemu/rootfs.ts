// The guest's root filesystem: static busybox and an init that reports what the first boot left
// behind, then powers off. No kindling inside: everything it finds was put there by the
// initramfs. The report is the output of a probe script each scenario supplies, framed by
// markers on the serial console.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT_INIT_MARKER = '@@KINDLING-ROOT-INIT@@';
export const ROOT_DONE_MARKER = '@@KINDLING-ROOT-DONE@@';
export const PROBE_PREFIX = '@@probe@@ ';

const INIT = `#!/bin/busybox sh
# Reached only after switch-root: the first boot (if any) is over.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
echo "${ROOT_INIT_MARKER} uptime=$(cut -d' ' -f1 /proc/uptime)"
if [ -f /probe.sh ]; then
  sh /probe.sh 2>&1 | sed 's/^/${PROBE_PREFIX}/'
fi
echo "${ROOT_DONE_MARKER}"
sync
poweroff -f
`;

export interface RootOptions {
  /** Shell (busybox) run by the root's init; its output is framed on the console. */
  probe?: string;
  /** Groups besides root that the OS image has (a config may add users to them). */
  groups?: string[];
  /** Extra files, path (relative to the root) to contents. */
  files?: Record<string, string>;
  busybox?: string;
}

/** Fills `dir` with the root tree. */
export function makeRootTree(dir: string, o: RootOptions = {}): void {
  const busybox = o.busybox ?? '/bin/busybox';
  for (const d of ['bin', 'sbin', 'etc', 'proc', 'sys', 'dev', 'run', 'tmp', 'home', 'root', 'mnt', 'var', 'usr/lib'])
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.copyFileSync(busybox, path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  for (const a of applets) fs.symlinkSync('busybox', path.join(dir, 'bin', a));
  fs.writeFileSync(path.join(dir, 'sbin/init'), INIT, { mode: 0o755 });
  const osRelease = 'NAME="Kindling test root"\nID=kindling-test\nVERSION_ID=1\n';
  fs.writeFileSync(path.join(dir, 'etc/os-release'), osRelease);
  fs.writeFileSync(path.join(dir, 'usr/lib/os-release'), osRelease);
  // Only root, as on a fresh OS image: useradd must not collide with the host's ids.
  fs.writeFileSync(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  const groups = (o.groups ?? []).map((g, i) => `${g}:x:${10 + i}:\n`).join('');
  fs.writeFileSync(path.join(dir, 'etc/group'), `root:x:0:\n${groups}`);
  fs.writeFileSync(path.join(dir, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n', { mode: 0o640 });
  fs.writeFileSync(path.join(dir, 'etc/gshadow'), `root:*::\n${(o.groups ?? []).map((g) => `${g}:!::\n`).join('')}`, { mode: 0o640 });
  if (o.probe !== undefined) fs.writeFileSync(path.join(dir, 'probe.sh'), o.probe, { mode: 0o755 });
  for (const [p, text] of Object.entries(o.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
}

/** Lines the probe printed, from the console. */
export function probeOutput(console: string): string[] {
  return console
    .split('\n')
    .filter((l) => l.includes(PROBE_PREFIX))
    .map((l) => l.slice(l.indexOf(PROBE_PREFIX) + PROBE_PREFIX.length));
}
