// Runs the read-only probes that decide the disks plan (sgdisk --print/--pretend, blkid, cryptsetup
// isLuks/luksDump…) through the Host, turning a non-zero exit into an error naming the command.
import { commandError, type CommandResult, type Host } from '../host/host.js';
import { DisksError } from './model.js';

export class Runner {
  constructor(readonly host: Host) {}

  /** Runs argv; never throws. */
  async try(argv: string[]): Promise<CommandResult> {
    this.host.log.debug(`probing: ${argv.map((a) => JSON.stringify(a)).join(' ')}`);
    return this.host.run(argv);
  }

  /** Runs argv; on failure throws `<prefix>: exit status N: Cmd: … Stdout: … Stderr: …`. */
  async must(argv: string[], prefix: string): Promise<CommandResult> {
    const r = await this.try(argv);
    if (r.code !== 0) throw new DisksError(`${prefix}: ${commandError(argv, r)}`);
    return r;
  }
}
