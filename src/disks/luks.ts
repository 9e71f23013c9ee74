// LUKS2 argv, clevis configuration and crypttab lines (reference §3.9). Pure.
import type { Luks } from '../generated/types.js';
import type { Tools } from '../host/tools.js';

export function luksFormatArgv(l: Luks, dev: string, keyFile: string, tools: Tools): string[] {
  const argv = [tools.cryptsetup, 'luksFormat', '--type', 'luks2', '--key-file', keyFile];
  if (l.label) argv.push('--label', l.label);
  if (l.uuid) argv.push('--uuid', l.uuid);
  argv.push(...(l.options ?? []), dev);
  return argv;
}

/** `--persistent` stores discard and the open options in the header, so clevis unlock honours them. */
export function luksOpenArgv(l: Luks, dev: string, keyFile: string, tools: Tools): string[] {
  const argv = [tools.cryptsetup, 'luksOpen', dev, l.name, '--key-file', keyFile, '--persistent'];
  if (l.discard) argv.push('--allow-discards');
  argv.push(...(l.openOptions ?? []));
  return argv;
}

export function hasClevis(l: Luks): boolean {
  const c = l.clevis;
  if (!c) return false;
  return (c.tang?.length ?? 0) > 0 || c.tpm2 === true || !!c.custom?.pin || (c.threshold !== undefined && c.threshold !== 0);
}

/** The pin and its JSON config: a custom pin verbatim, else `sss` over tang servers and tpm2. */
export function clevisPin(l: Luks): { pin: string; config: string } {
  const c = l.clevis ?? {};
  if (c.custom?.pin) return { pin: c.custom.pin, config: c.custom.config ?? '' };
  const tang = (c.tang ?? []).map((t) => {
    const o: Record<string, unknown> = { url: t.url };
    if (t.thumbprint) o.thp = t.thumbprint;
    if (t.advertisement) o.adv = JSON.parse(t.advertisement) as unknown;
    return o;
  });
  // Ignition's encoding: with tpm2 the tang list is omitted when empty; without tpm2 it is always present.
  const pins: Record<string, unknown> = c.tpm2 ? { ...(tang.length ? { tang } : {}), tpm2: {} } : { tang: tang.length ? tang : null };
  return { pin: 'sss', config: JSON.stringify({ pins, t: c.threshold ?? 1 }) };
}

export function clevisBindArgv(l: Luks, dev: string, keyFile: string, tools: Tools): string[] {
  const { pin, config } = clevisPin(l);
  return [tools.clevis, 'luks', 'bind', '-f', '-k', keyFile, '-d', dev, pin, config];
}

/** Whether the bound pins alone can unlock the volume now (tang without advertisement is online). */
export function canProveUnlock(l: Luks): boolean {
  const c = l.clevis ?? {};
  const online = (c.tang ?? []).filter((t) => !t.advertisement).length + (c.tpm2 ? 1 : 0);
  return online >= (c.threshold ?? 1);
}

export function needsNetwork(l: Luks): boolean {
  const c = l.clevis;
  return (c?.tang?.length ?? 0) > 0 || (!!c?.custom?.pin && c.custom.needsNetwork === true);
}

/** `/etc/crypttab` line as current Ignition writes it (keyfile path for non-clevis volumes). */
export function crypttabLine(l: Luks, luksUuid: string, keyDir: string): string {
  const keyfile = hasClevis(l) ? 'none' : `${keyDir.replace(/\/$/, '')}/${l.name}`;
  const opts = (needsNetwork(l) ? ',_netdev' : '') + ',x-initrd.attach';
  return `${l.name} UUID=${luksUuid} ${keyfile} luks${opts}\n`;
}
