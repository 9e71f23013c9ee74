// Transpile throughput in-process (a realistic ~100-line fcos 1.6.0 config like the one Butane was
// timed with, and a generated 5,000-line config) and cold CLI time for the realistic config.
// Butane 0.29.0 on the same kind of machine: 5.2 ms per realistic config in-process, ~25 ms median
// (10.7 ms min) per cold CLI run. The CLI runs and their `node -e 0` floor go without this
// machine's NODE_EXTRA_CA_CERTS and NODE_OPTIONS, as in cold-start.ts (a CA bundle parsed at every
// start would add tens of milliseconds to each).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { transpileButane } from '../transpiler/transpile.js';
import { childEnv } from './cold-start.js';

export const REALISTIC = `variant: fcos
version: 1.6.0
passwd:
  users:
    - name: core
      ssh_authorized_keys:
        - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2bLz3eX1vJ0k9m5x8pQ0zY4d7wQ2r9uV1b3c5e7g9i core@example
      ssh_authorized_keys_local:
        - keys/admin.pub
      groups: [wheel, sudo]
    - name: app
      uid: 1500
      home_dir: /var/lib/app
      shell: /sbin/nologin
      system: true
  groups:
    - name: app
      gid: 1500
kernel_arguments:
  should_exist:
    - console=ttyS0,115200n8
    - mitigations=auto
  should_not_exist:
    - quiet
boot_device:
  luks:
    tpm2: true
storage:
  disks:
    - device: /dev/disk/by-id/virtio-data
      wipe_table: true
      partitions:
        - label: appdata
          number: 1
          size_mib: 0
  filesystems:
    - device: /dev/disk/by-partlabel/appdata
      path: /var/lib/app
      format: xfs
      label: appdata
      wipe_filesystem: true
      with_mount_unit: true
  directories:
    - path: /var/lib/app/cache
      mode: 0750
      user: {name: app}
      group: {name: app}
  files:
    - path: /etc/hostname
      mode: 0644
      contents:
        inline: node1.example.com
    - path: /etc/app/app.conf
      mode: 0640
      user: {name: app}
      contents:
        inline: |
          [server]
          listen = 0.0.0.0:8080
          workers = 4
          log_level = info
          data_dir = /var/lib/app
    - path: /etc/sysctl.d/90-app.conf
      mode: 0644
      contents:
        inline: |
          net.core.somaxconn = 4096
          vm.swappiness = 10
    - path: /etc/motd
      mode: 0644
      contents:
        local: motd.txt
  links:
    - path: /etc/localtime
      target: ../usr/share/zoneinfo/UTC
systemd:
  units:
    - name: app.service
      enabled: true
      contents_local: units/app.service
    - name: app-backup.timer
      enabled: true
      contents: |
        [Unit]
        Description=Nightly app backup
        [Timer]
        OnCalendar=daily
        Persistent=true
        [Install]
        WantedBy=timers.target
    - name: sshd.service
      dropins:
        - name: 10-hardening.conf
          contents: |
            [Service]
            Environment=OPTIONS=-oPermitRootLogin=no
`;

/** A config of about `lines` lines: many files and units. */
export function bigConfig(lines: number): string {
  let y = 'variant: fcos\nversion: 1.6.0\nstorage:\n  files:\n';
  let n = 4;
  let i = 0;
  while (n < lines * 0.7) {
    y += `    - path: /etc/gen/file-${i}.conf\n      mode: 0644\n      contents:\n        inline: |\n          key_${i} = value ${i}\n          other = ${i * 7}\n`;
    n += 6;
    i++;
  }
  y += 'systemd:\n  units:\n';
  n += 2;
  i = 0;
  while (n < lines) {
    y += `    - name: gen-${i}.service\n      enabled: true\n      contents: |\n        [Service]\n        ExecStart=/bin/true ${i}\n        [Install]\n        WantedBy=multi-user.target\n`;
    n += 7;
    i++;
  }
  return y;
}

export function filesDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-transpile-'));
  fs.mkdirSync(path.join(d, 'keys'));
  fs.mkdirSync(path.join(d, 'units'));
  fs.writeFileSync(path.join(d, 'keys/admin.pub'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHf2bLz3eX1vJ0k9m5x8pQ0zY4d7wQ2r9uV1b3c5e7g9 admin@example\n');
  fs.writeFileSync(path.join(d, 'motd.txt'), 'Welcome to node1. Managed by Kindling.\n');
  fs.writeFileSync(
    path.join(d, 'units/app.service'),
    '[Unit]\nDescription=App\nAfter=network-online.target\n\n[Service]\nUser=app\nExecStart=/usr/local/bin/app\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n',
  );
  return d;
}

function perSecond(text: string, opts: { filesDir?: string }, minMs: number): number {
  const run = () => {
    const r = transpileButane(text, { ...opts, strict: true });
    if (!r.config) throw new Error(`bench config failed: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  };
  for (let i = 0; i < 20; i++) run();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    run();
    n++;
  }
  return (n * 1000) / (performance.now() - t0);
}

export function benchTranspile(): Record<string, number> {
  const dir = filesDir();
  try {
    const out: Record<string, number> = {};
    const realistic = perSecond(REALISTIC, { filesDir: dir }, 2000);
    out['realistic (~100 lines) configs/s'] = realistic;
    out['realistic ms/config (Butane 5.2)'] = 1000 / realistic;
    const big = bigConfig(5000);
    out['5,000-line configs/s'] = perSecond(big, {}, 2000);
    const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../dist/kindling.cjs');
    if (fs.existsSync(cli)) {
      const file = path.join(dir, 'realistic.bu');
      fs.writeFileSync(file, REALISTIC);
      const times: number[] = [];
      for (let i = 0; i < 25; i++) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [cli, 'transpile', '--strict', '-d', dir, file], { encoding: 'utf8', env: childEnv() });
        times.push(performance.now() - t0);
        if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
      }
      times.sort((a, b) => a - b);
      out['cold CLI ms median (Butane ~25)'] = times[Math.floor(times.length / 2)];
      out['cold CLI ms min (Butane 10.7)'] = times[0];
      const floor: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        spawnSync(process.execPath, ['-e', '0'], { env: childEnv() });
        floor.push(performance.now() - t0);
      }
      out['node -e 0 ms min (floor)'] = Math.min(...floor);
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
