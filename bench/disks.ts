// Disks stage wall time for a 4-partition layout (ext4 + xfs + swap + ext4) on a 2 GB sparse loop
// image, against the floor: a shell script calling the same tools directly.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDisks } from '../src/disks/index.js';
import type { Config } from '../src/generated/types.js';
import { realHost } from '../src/host/host.js';

const ROUNDS = 3;

function withLoop<T>(dir: string, fn: (dev: string) => Promise<T>): Promise<T> {
  const img = path.join(dir, 'bench.img');
  fs.rmSync(img, { force: true });
  fs.closeSync(fs.openSync(img, 'w'));
  fs.truncateSync(img, 2048 * 1048576);
  const dev = execFileSync('losetup', ['-P', '--show', '-f', img], { encoding: 'utf8' }).trim();
  return fn(dev).finally(() => {
    spawnSync('partx', ['-d', dev]);
    spawnSync('losetup', ['-d', dev]);
  });
}

function config(dev: string): Config {
  return {
    ignition: { version: '3.5.0' },
    storage: {
      disks: [
        {
          device: dev,
          wipeTable: true,
          partitions: [
            { number: 1, label: 'ROOT', sizeMiB: 512 },
            { number: 2, label: 'VAR', sizeMiB: 512 },
            { number: 3, label: 'SWAP', sizeMiB: 256 },
            { number: 4, label: 'HOME', sizeMiB: 0 },
          ],
        },
      ],
      filesystems: [
        { device: `${dev}p1`, format: 'ext4', label: 'root' },
        { device: `${dev}p2`, format: 'xfs', label: 'var' },
        { device: `${dev}p3`, format: 'swap', label: 'swap' },
        { device: `${dev}p4`, format: 'ext4', label: 'home' },
      ],
    },
  };
}

// The floor: what a careful hand-written script does (one sgdisk, partx, parallel mkfs).
const SCRIPT = `set -e
D=$1
sgdisk --zap-all $D >/dev/null || sgdisk --zap-all $D >/dev/null
sgdisk --new=1:0:+1048576 --change-name=1:ROOT --new=2:0:+1048576 --change-name=2:VAR \\
       --new=3:0:+524288 --change-name=3:SWAP --new=4:0:+0 --change-name=4:HOME $D >/dev/null
partx -a $D 2>/dev/null || partx -u $D
for p in 1 2 3 4; do wipefs -a \${D}p$p >/dev/null; done
mkfs.ext4 -F -L root \${D}p1 >/dev/null 2>&1 &
mkfs.xfs -f -L var \${D}p2 >/dev/null 2>&1 &
mkswap -f -L swap \${D}p3 >/dev/null 2>&1 &
mkfs.ext4 -F -L home \${D}p4 >/dev/null 2>&1 &
wait
`;

export async function benchDisks(): Promise<Record<string, number>> {
  if (process.getuid?.() !== 0) throw new Error('needs root');
  if (spawnSync('losetup', ['-f']).status !== 0) throw new Error('no free loop device');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-disks-'));
  const host = realHost({ paths: { runDir: path.join(dir, 'run') } });
  const script = path.join(dir, 'floor.sh');
  fs.writeFileSync(script, SCRIPT);
  let kindling = Infinity;
  let shell = Infinity;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      kindling = Math.min(
        kindling,
        await withLoop(dir, async (dev) => {
          const t = performance.now();
          await runDisks(config(dev), host, { devices: [dev] });
          return performance.now() - t;
        }),
      );
      shell = Math.min(
        shell,
        await withLoop(dir, async (dev) => {
          const t = performance.now();
          const r = spawnSync('bash', [script, dev], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`floor script failed: ${r.stderr}`);
          return performance.now() - t;
        }),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { 'kindling disks stage (ms)': kindling, 'shell script floor (ms)': shell, 'ratio kindling/floor': kindling / shell };
}
