// The boot log in Ignition's line format (`LEVEL    : [stage: ]message`), so tooling that greps
// Ignition's journal finds the same lines. With --log-to-stdout it goes to stdout; otherwise to
// stderr, which systemd connects to the journal for our units: then each line carries a syslog
// priority prefix (`<3>`) so journald records its level.
import type { Logger } from '../host/host.js';

const PRIORITY = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 } as const;
export type Level = keyof typeof PRIORITY;

export class EngineLog implements Logger {
  private readonly prefixes: string[] = [];
  private opCount = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly journal = false,
  ) {}

  /** The logger `kindling boot` uses: stdout, or stderr (journal-aware). */
  static forBoot(toStdout: boolean, env: Readonly<Record<string, string | undefined>>): EngineLog {
    if (toStdout) return new EngineLog((t) => process.stdout.write(t));
    return new EngineLog((t) => process.stderr.write(t), Boolean(env.JOURNAL_STREAM));
  }

  log(level: Level, msg: string): void {
    const prefix = this.prefixes.map((p) => `${p}: `).join('');
    const body = `${level.padEnd(9)}: ${prefix}${msg}`;
    const lines = body.split('\n');
    this.write(lines.map((l) => (this.journal ? `<${PRIORITY[level]}>${l}` : l)).join('\n') + '\n');
  }

  crit(msg: string): void {
    this.log('CRITICAL', msg);
  }
  error(msg: string): void {
    this.log('ERROR', msg);
  }
  warn(msg: string): void {
    this.log('WARNING', msg);
  }
  notice(msg: string): void {
    this.log('NOTICE', msg);
  }
  info(msg: string): void {
    this.log('INFO', msg);
  }
  debug(msg: string): void {
    this.log('DEBUG', msg);
  }

  pushPrefix(p: string): void {
    this.prefixes.push(p);
  }
  popPrefix(): void {
    this.prefixes.pop();
  }

  /** `op(N): [started]  msg` … `[finished] msg` or `[failed]   msg: error`, around `fn`. */
  async op<T>(msg: string, fn: () => Promise<T>): Promise<T> {
    const n = ++this.opCount;
    this.info(`op(${n}): [started]  ${msg}`);
    try {
      const v = await fn();
      this.info(`op(${n}): [finished] ${msg}`);
      return v;
    } catch (e) {
      this.crit(`op(${n}): [failed]   ${msg}: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }
}
