// The environment of a `kindling boot` run outside an initramfs that must not see this machine:
// Ignition's overrides point the system config directories at an empty `sys/` and the kernel
// command line at `cmdline` (empty unless given), both created here under `dir`.
import * as fs from 'node:fs';
import * as path from 'node:path';

export function isolatedBootEnv(dir: string, cmdline = ''): Record<string, string> {
  const sys = path.join(dir, 'sys');
  fs.mkdirSync(sys, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cmdline'), cmdline);
  return {
    IGNITION_KERNEL_CMDLINE_PATH: path.join(dir, 'cmdline'),
    IGNITION_SYSTEM_CONFIG_DIR: sys,
    IGNITION_SYSTEM_RUNTIME_CONFIG_DIR: sys,
    IGNITION_SYSTEM_LOCAL_CONFIG_DIR: sys,
  };
}

/**
 * The flags of one `kindling boot` stage whose files (root, config cache, neednet, state, failure
 * report) all live under `dir`, logging to stdout; the same files for every stage of a run. With
 * `runDir`, the stage's own files (all but the root) live there instead, as in /run at boot.
 */
export function stageFlags(platform: string, stage: string, dir: string, runDir = dir): string[] {
  const f = (name: string) => path.join(runDir, name);
  return [
    ...['--platform', platform, '--stage', stage, '--root', path.join(dir, 'root'), '--config-cache', f('config.json')],
    ...['--neednet', f('neednet'), '--state-file', f('state'), '--failure-report', f('failure.json'), '--log-to-stdout'],
  ];
}
