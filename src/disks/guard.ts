// The last line of defence against formatting the wrong machine: outside an initramfs the caller
// must name the block devices it hands over, and every device we touch must be one of them, a
// partition of one, or an array/mapping this run creates.
import path from 'node:path';
import type { Host } from '../host/host.js';
import { isPartitionOf } from './devices.js';
import { DisksError } from './model.js';

export class DeviceGuard {
  private readonly allowed: string[] | undefined;
  private readonly produced = new Set<string>();

  constructor(
    private readonly host: Host,
    devices: string[] | undefined,
  ) {
    if (devices === undefined) {
      if (!host.fs.existsSync(host.paths.initrdRelease))
        throw new DisksError(
          `refusing to touch block devices outside an initramfs (${host.paths.initrdRelease} is missing): pass the allowed devices explicitly`,
        );
      this.allowed = undefined;
    } else {
      this.allowed = devices.map((d) => real(host, d));
    }
  }

  /** Registers a node this run created (RAID array, LUKS mapping). */
  produce(node: string): void {
    this.produced.add(real(this.host, node));
  }

  /** Throws unless `resolved` (a realpath) may be written to. */
  check(configured: string, resolved: string): void {
    if (this.allowed === undefined) return;
    const ok = (base: string) => resolved === base || isPartitionOf(resolved, base);
    if (this.allowed.some(ok) || [...this.produced].some(ok)) return;
    throw new DisksError(`device ${JSON.stringify(configured)} (${resolved}) is not in the list of devices this run may modify`);
  }
}

function real(host: Host, p: string): string {
  try {
    return host.fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
