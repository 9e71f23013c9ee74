// Runs a plan's operations against the target root through a Host. Every path is re-resolved
// right before it is touched and must still resolve to the planned path (no symlink may have
// appeared in between), and the checks Ignition makes at creation time are repeated here, so the
// executor is correct even where the planner's simulation could not know (e.g. files useradd made).
import { posix } from '../../host/paths.js';
import fs from 'node:fs';
import type { CommandResult, Host } from '../../host/host.js';
import { randomHex } from '../../host/temp-name.js';
import { redactIn } from '../../fetch/redact.js';
import { hint, msg } from './messages.js';
import { readAccountDb, type AccountDb } from './passwd-db.js';
import { resolveInRoot } from './resolve.js';
import { fsRootView, isMissing, type RootView } from './rootview.js';
import { components, hostPath, isWithin, vjoin } from './vpath.js';
import { describeOp } from './plan/describe.js';
import { redactArgv } from '../../host/host.js';
import type { Contents, Op, Plan } from './plan/ops.js';
import { OpError } from './errors.js';
import { cleanupOnExit } from '../../host/cleanup.js';
import type { ResourceFetcher } from '../../fetch/resource-fetcher.js';

export interface ExecuteOptions {
  root: string;
  host: Host;
  fetcher: ResourceFetcher;
  /** Host path of the kernel boot id (result file). */
  bootIdPath?: string;
  now?: () => Date;
}

const { O_WRONLY, O_APPEND, O_CREAT, O_NOFOLLOW, O_EXCL, O_TRUNC } = fs.constants;

export async function executePlan(plan: Plan, opts: ExecuteOptions): Promise<void> {
  if (plan.errors.length > 0) {
    const e = plan.errors[0];
    throw new OpError(e.message, { configPath: e.configPath, hint: e.hint });
  }
  const ex = new Executor(opts);
  for (let i = 0; i < plan.ops.length; i++) {
    const op = plan.ops[i];
    opts.host.log.info(describeOp(op));
    try {
      await ex.run(op);
    } catch (e) {
      if (e instanceof OpError) throw new OpError(e.message, { ...e.details, op, index: i, configPath: op.configPath });
      const text = e instanceof Error ? e.message : String(e);
      throw new OpError(redactSources(text, op), { op, index: i, configPath: op.configPath, hint: hintFor(e) });
    }
  }
}

function redactSources(text: string, op: Op): string {
  if ((op.kind === 'write' || op.kind === 'append') && 'resource' in op.contents) return redactIn(text, op.contents.resource.source);
  return text;
}

function hintFor(e: unknown): string | undefined {
  const code = (e as { code?: string }).code;
  if (code === 'hash-mismatch') return 'the fetched data does not match verification.hash: fix the hash or the source';
  if (code === 'not-found') return 'check the source URL';
  if (code === 'need-net') return 'this source needs the network; run without --offline';
  return undefined;
}

class Executor {
  private readonly fs;
  private readonly view: RootView;
  private db: AccountDb | null = null;
  /** Live temp files and the release of their exit cleanup. */
  private readonly temps = new Map<string, () => void>();
  /** Directories already cleared of stale temp files in this run. */
  private readonly swept = new Set<string>();

  constructor(private readonly o: ExecuteOptions) {
    this.fs = o.host.fs;
    this.view = fsRootView(o.host.fs, o.root);
  }

  private h(vpath: string): string {
    return hostPath(this.o.root, vpath);
  }

  /** Refuses to touch `vpath` unless it still resolves to itself inside the root. */
  private check(vpath: string): string {
    const now = resolveInRoot(this.view, vpath);
    if (now !== vpath) throw new OpError(`refusing to touch ${vpath}: it now resolves to ${now} (a symlink changed since planning)`);
    return this.h(vpath);
  }

  private accounts(): AccountDb {
    return (this.db ??= readAccountDb(this.view));
  }

  private async command(argv: string[], what: string): Promise<CommandResult> {
    const r = await this.o.host.run(argv);
    if (r.code !== 0) {
      const shown = redactArgv(argv);
      throw new OpError(`${what}: exit status ${r.code}: Cmd: ${shown.map((a) => JSON.stringify(a)).join(' ')} Stderr: ${JSON.stringify(r.stderr)}`, {
        command: { argv: shown, code: r.code, stderr: r.stderr },
      });
    }
    return r;
  }

  async run(op: Op): Promise<void> {
    const fs = this.fs;
    switch (op.kind) {
      case 'group':
      case 'user': {
        const verb = op.action === 'add' ? 'create' : op.action === 'delete' ? 'delete' : 'modify';
        await this.command(op.argv, `failed to ${verb} ${op.kind} ${JSON.stringify(op.name)}`);
        this.db = null;
        return;
      }
      case 'user-password':
        await this.command(op.argv, `failed to set password for ${JSON.stringify(op.user)}`);
        this.db = null;
        return;
      case 'home-dirs':
        return this.homeDirs(op.user, op.notated);
      case 'ssh-keys':
        return this.sshKeys(op.user, op.keys);
      case 'remove':
        fs.rmSync(this.check(op.path), { recursive: true, force: true });
        return;
      case 'mkdir':
        this.mkdirAll(op.path, 0o755);
        return;
      case 'write':
        return this.write(op.path, op.contents, op.exclusive ?? false, 0o644);
      case 'append':
        return this.append(op.path, op.contents);
      case 'perms':
        return this.perms(op);
      case 'symlink': {
        const p = this.check(op.path);
        const st = this.view.lstat(op.path);
        if (st) {
          if (st.kind === 'symlink' && posix.normalize(st.target ?? '') === posix.normalize(op.target)) return;
          throw new OpError(st.kind === 'symlink' ? msg.symlinkOther(op.path, st.target ?? '', op.target) : msg.symlinkNonLink(op.path), {
            hint: hint.overwriteNode,
          });
        }
        fs.symlinkSync(op.target, p);
        return;
      }
      case 'hardlink': {
        const p = this.check(op.path);
        const t = this.check(op.target);
        fs.linkSync(t, p);
        return;
      }
      case 'unmask': {
        const p = this.check(op.path);
        const st = this.view.lstat(op.path);
        if (st?.kind === 'symlink' && st.target === '/dev/null') fs.unlinkSync(p);
        return;
      }
      case 'preset':
        this.appendLine(op.path, op.line);
        return;
      case 'disable-unit': {
        const { systemctl } = this.o.host.tools;
        const probe = await this.o.host.run([systemctl, '--root', this.o.root, 'is-enabled', op.unit]);
        if (probe.code !== 0) return;
        const argv = [systemctl, '--root', this.o.root, 'disable', op.unit];
        const r = await this.o.host.run(argv);
        if (r.code !== 0)
          throw new OpError(`cannot remove symlink(s) for ${op.unit}: exit status ${r.code}: ${JSON.stringify(r.stdout + r.stderr)}`, {
            command: { argv, code: r.code, stderr: r.stderr },
          });
        this.appendLine(op.path, `disable ${op.unit}`);
        return;
      }
      case 'result-file':
        return this.resultFile(op.path, op.userConfigProvided);
      case 'relabel':
        return this.relabel(op);
    }
  }

  private mkdirAll(vpath: string, mode: number, owner?: { uid: number; gid: number }): void {
    const parts = components(vpath);
    for (let i = 1; i <= parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      const st = this.view.lstat(p);
      if (st?.kind === 'dir') continue;
      if (st) throw new OpError(`failed to create directory ${vpath}: ${p} exists and is not a directory`);
      const hp = this.h(p);
      this.fs.mkdirSync(hp, { mode });
      this.fs.chmodSync(hp, mode); // independent of the umask
      if (owner) this.fs.chownSync(hp, owner.uid, owner.gid);
    }
  }

  /** Host path of a new temp file next to `vpath` (whose directory was checked), removed if the process ends early. */
  private tempIn(vpath: string): string {
    const dir = this.h(posix.dirname(vpath));
    if (!this.swept.has(dir)) {
      this.swept.add(dir);
      removeStaleTemps(this.fs, dir);
    }
    const tmp = `${dir}/${tempName(process.pid, randomHex(12), posix.basename(vpath))}`;
    this.temps.set(
      tmp,
      cleanupOnExit(() => this.fs.rmSync(tmp, { force: true })),
    );
    return tmp;
  }

  /** The temp file was renamed into place or removed. */
  private settled(tmp: string): void {
    this.temps.get(tmp)?.();
    this.temps.delete(tmp);
  }

  /** Fills a new temp file next to `vpath` with the contents; returns its host path. */
  private async fill(vpath: string, contents: Contents): Promise<string> {
    const tmp = this.tempIn(vpath);
    const fd = this.fs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    try {
      if ('inline' in contents) this.fs.writeSync(fd, contents.inline);
    } finally {
      this.fs.closeSync(fd);
    }
    try {
      if ('resource' in contents && contents.resource.source) await this.o.fetcher.toFile(contents.resource, tmp);
      // fetchers remove their destination on failure; make sure it exists for the fsync below
      const fd2 = this.fs.openSync(tmp, O_WRONLY | O_CREAT | O_NOFOLLOW, 0o600);
      try {
        this.fs.fsyncSync(fd2);
      } finally {
        this.fs.closeSync(fd2);
      }
    } catch (e) {
      this.fs.rmSync(tmp, { force: true });
      this.settled(tmp);
      throw e;
    }
    return tmp;
  }

  private async write(vpath: string, contents: Contents, exclusive: boolean, mode: number): Promise<void> {
    const p = this.check(vpath);
    if (exclusive) {
      const st = this.view.lstat(vpath);
      if (st) throw new OpError(st.kind === 'file' ? msg.fileExists(vpath) : msg.fileNotRegular(vpath), { hint: hint.overwrite });
    }
    const tmp = await this.fill(vpath, contents);
    try {
      this.fs.chmodSync(tmp, mode);
      this.fs.renameSync(tmp, p);
    } catch (e) {
      this.fs.rmSync(tmp, { force: true });
      throw e;
    } finally {
      this.settled(tmp);
    }
  }

  private async append(vpath: string, contents: Contents): Promise<void> {
    const p = this.check(vpath);
    const tmp = await this.fill(vpath, contents);
    try {
      const st = this.view.lstat(vpath);
      if (st && st.kind !== 'file') throw new OpError(msg.appendNotFile(vpath), { hint: hint.appendTarget });
      const fd = this.fs.openSync(p, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644);
      try {
        if (!st) this.fs.fchmodSync(fd, 0o644);
        this.copyInto(tmp, fd);
        this.fs.fsyncSync(fd);
      } finally {
        this.fs.closeSync(fd);
      }
    } finally {
      this.fs.rmSync(tmp, { force: true });
      this.settled(tmp);
    }
  }

  /** Copies a file into an open descriptor in 1 MiB pieces (never the whole file in memory). */
  private copyInto(src: string, fd: number): void {
    const buf = Buffer.allocUnsafe(1 << 20);
    const rfd = this.fs.openSync(src, 'r');
    try {
      for (let n; (n = this.fs.readSync(rfd, buf, 0, buf.length, null)) > 0;) this.fs.writeSync(fd, buf, 0, n);
    } finally {
      this.fs.closeSync(rfd);
    }
  }

  /** Appends a preset line, unless a re-run (of an interrupted run) finds it there: same meaning, same file. */
  private appendLine(vpath: string, line: string): void {
    if (this.hasLine(vpath, line)) return;
    this.mkdirAll(posix.dirname(vpath), 0o755);
    const fd = this.fs.openSync(this.check(vpath), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o644);
    try {
      this.fs.writeSync(fd, line + '\n');
    } finally {
      this.fs.closeSync(fd);
    }
  }

  private hasLine(vpath: string, line: string): boolean {
    const text = this.view.readText(vpath);
    return text !== null && text.split('\n').includes(line);
  }

  private perms(op: Extract<Op, { kind: 'perms' }>): void {
    const p = this.check(op.path);
    const st = this.view.lstat(op.path);
    if (!st) throw new OpError(`failed to set permissions of ${op.path}: it does not exist`);
    let uid = st.uid;
    let gid = st.gid;
    if (op.user?.id !== undefined) uid = op.user.id;
    else if (op.user?.name) {
      const u = this.accounts().users.get(op.user.name);
      if (!u) throw new OpError(msg.noSuchUser(op.path, op.user.name), { hint: hint.user });
      uid = u.uid;
    }
    if (op.group?.id !== undefined) gid = op.group.id;
    else if (op.group?.name) {
      const g = this.accounts().groups.get(op.group.name);
      if (!g) throw new OpError(msg.noSuchGroup(op.path, op.group.name), { hint: hint.group });
      gid = g.gid;
    }
    // owner first: chown clears setuid/setgid, so the mode must come after it
    this.fs.lchownSync(p, uid, gid);
    if (op.mode !== undefined && st.kind !== 'symlink') this.fs.chmodSync(p, op.mode);
  }

  private user(name: string) {
    const u = this.accounts().users.get(name);
    if (!u) throw new OpError(`unable to look up user ${JSON.stringify(name)} in the target root`);
    return u;
  }

  private homeDirs(name: string, notated: readonly string[]): void {
    const u = this.user(name);
    const home = posix.normalize(u.home);
    for (const dir of notated) {
      if (!isWithin(posix.normalize(dir), home) || home === '/') continue;
      const p = this.check(resolveInRoot(this.view, dir));
      this.fs.chownSync(p, u.uid, u.gid);
      this.fs.chmodSync(p, 0o700);
    }
  }

  private sshKeys(name: string, keys: readonly string[]): void {
    const u = this.user(name);
    let text = keys.join('\n');
    if (!text.endsWith('\n')) text += '\n';
    const path = resolveInRoot(this.view, vjoin(u.home, this.o.host.paths.authorizedKeysFragment));
    this.mkdirAll(posix.dirname(path), 0o700, { uid: u.uid, gid: u.gid });
    const p = this.check(path);
    const fd = this.fs.openSync(p, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600);
    try {
      this.fs.fchownSync(fd, u.uid, u.gid);
      this.fs.fchmodSync(fd, 0o600);
      this.fs.writeSync(fd, text);
    } finally {
      this.fs.closeSync(fd);
    }
  }

  private async resultFile(vpath: string, userConfigProvided: boolean): Promise<void> {
    const prev = this.view.readText(vpath);
    let previousReport: unknown;
    if (prev) {
      this.o.host.log.warn(
        'Ignition has already run on this system. Unexpected behavior may occur. Ignition is not designed to run more than once per system.',
      );
      try {
        previousReport = JSON.parse(prev);
      } catch (e) {
        throw new OpError(`couldn't unmarshal previous report output: ${(e as Error).message}`);
      }
    }
    const bootId = String(this.fs.readFileSync(this.o.bootIdPath ?? '/proc/sys/kernel/random/boot_id', 'utf8')).trim();
    const report: Record<string, unknown> = {
      provisioningBootID: bootId,
      provisioningDate: rfc3339((this.o.now ?? (() => new Date()))()),
      userConfigProvided,
    };
    if (previousReport !== undefined && previousReport !== null) report.previousReport = previousReport;
    this.mkdirAll(posix.dirname(vpath), 0o755);
    await this.write(vpath, { inline: JSON.stringify(report, null, 2) + '\n' }, false, 0o600);
  }

  private async relabel(op: Extract<Op, { kind: 'relabel' }>): Promise<void> {
    const set = new Set(op.paths);
    for (const g of op.globs) {
      const dir = posix.dirname(g);
      const prefix = posix.basename(g).replace(/\*$/, '');
      let names: string[] = [];
      try {
        names = this.fs.readdirSync(this.h(resolveInRoot(this.view, dir, { followLast: true }))).map(String);
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
      for (const n of names) if (n.startsWith(prefix)) set.add(vjoin(dir, n));
    }
    for (const name of op.homesOf) {
      const u = this.accounts().users.get(name);
      if (!u) continue;
      set.add(resolveInRoot(this.view, u.home, { followLast: true }));
    }
    const existing = [...set].filter((p) => this.view.lstat(resolveInRoot(this.view, p)) !== null).map((p) => this.h(p));
    if (existing.length === 0) return;
    const contexts = this.h(resolveInRoot(this.view, `/etc/selinux/${op.policy}/contexts/files/file_contexts`, { followLast: true }));
    const argv = [this.o.host.tools.setfiles, '-vF0', '-r', this.o.root, contexts, '-f', '-'];
    const r = await this.o.host.run(argv, { input: existing.join('\0') + '\0' });
    if (r.code !== 0)
      throw new OpError(`failed to handle relabeling: exit status ${r.code}: Cmd: ${argv.join(' ')} Stderr: ${JSON.stringify(r.stderr)}`, {
        command: { argv, code: r.code, stderr: r.stderr },
      });
  }
}

// Temp files are `.kindling-PID-RANDOM-NAME`: the PID tells a later run whether the writer is gone.
const TEMP = /^\.kindling-(\d+)-[0-9a-f]{12}-/;

function tempName(pid: number, random: string, base: string): string {
  return `.kindling-${pid}-${random}-${base.slice(0, 64)}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files that a killed run (SIGKILL, power loss) left in `dir`. */
function removeStaleTemps(fs: Host['fs'], dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir).map(String);
  } catch {
    return;
  }
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    try {
      fs.rmSync(`${dir}/${name}`, { force: true });
    } catch {
      // not a plain file: not ours after all
    }
  }
}

/** Go's time.RFC3339 in local time ("2006-01-02T15:04:05Z07:00"). */
export function rfc3339(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}
