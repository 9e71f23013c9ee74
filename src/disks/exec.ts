// Runs planned commands through the Host, remembering each argv (for reports and tests) and turning
// a non-zero exit into an error that names the command and its stderr.
import { commandError, type CommandResult, type Host } from '../host/host.js';
import { DisksError } from './model.js';

export class Runner {
  readonly ran: string[][] = [];
  constructor(readonly host: Host) {}

  /** Runs argv; never throws. */
  async try(argv: string[]): Promise<CommandResult> {
    this.host.log.debug(`executing: ${argv.map((a) => JSON.stringify(a)).join(' ')}`);
    this.ran.push(argv);
    return this.host.run(argv);
  }

  /** Runs argv; on failure throws `<prefix>: exit status N: Cmd: … Stdout: … Stderr: …`. */
  async must(argv: string[], prefix: string): Promise<CommandResult> {
    const r = await this.try(argv);
    if (r.code !== 0) throw new DisksError(`${prefix}: ${commandError(argv, r)}`);
    return r;
  }
}
