// mdadm argv (reference §3.10). Pure. Existing arrays are never reused, as in Ignition.
import type { Raid } from '../generated/types.js';

/** The device node the array appears as. */
export function raidDevice(r: Raid): string {
  const name = r.name ?? '';
  return name.startsWith('/dev') ? name : `/dev/md/${name}`;
}

/** `devs` are the member device aliases, in config order. */
export function mdadmArgv(r: Raid, devs: string[], mdadm: string): string[] {
  const spares = r.spares ?? 0;
  const argv = [mdadm, '--create', r.name ?? '', '--force', '--run', '--homehost', 'any', '--level', r.level];
  argv.push('--raid-devices', String(r.devices.length - spares));
  if (spares > 0) argv.push('--spare-devices', String(spares));
  argv.push(...(r.options ?? []), ...devs);
  return argv;
}
