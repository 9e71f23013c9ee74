// The driver that carries the disks stage out: waits for devices, makes the aliases, runs each step
// of the plan through the Host (and nothing else that writes), checks the kernel's view afterwards.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Luks, Resource } from '../generated/types.js';
import { fetchToBuffer } from '../fetch/index.js';
import { commandError, type CommandResult, type Host } from '../host/host.js';
import { createAlias, kernelPartitions, partitionNode, settle, udevSettle, waitForDevices, type KernelPartition } from './devices.js';
import { Runner } from './exec.js';
import { keyToken, type Driver, type LuksKey, type StepGroup, type Target } from './flow.js';
import { DeviceGuard } from './guard.js';
import { kernelMismatch } from './kernel.js';
import { crypttabLine, hasClevis } from './luks.js';
import { DisksError, type LuksArtifacts, type PartitionTable, type PlannedCommand, type Step } from './model.js';
import { q, type PartitionPlan } from './partitions.js';
import { readTable } from './probe.js';

export interface DisksOptions {
  /** Devices this run may modify (and their partitions). Required unless /etc/initrd-release exists. */
  devices?: string[];
  /** How long to wait for each group of device nodes to appear (default 90 s, systemd's default). */
  deviceTimeoutMs?: number;
  /**
   * Fetches a resource into memory: LUKS key files and tang advertisements. The disks stage passes
   * its configured fetcher; by default src/fetch with Ignition's defaults.
   */
  fetch?: (res: Resource) => Promise<Buffer>;
  /** Parallel mkfs workers (default: number of CPUs). */
  concurrency?: number;
}

/** What a step record keeps: the plan's form of the command (placeholders, not temp paths). */
function planned(s: Step): PlannedCommand {
  return s.note ? { argv: s.argv, why: s.why, note: s.note } : { argv: s.argv, why: s.why };
}

export class LiveDriver implements Driver {
  readonly probes: Runner;
  /** The steps that ran, as planned. */
  readonly plan: PlannedCommand[] = [];
  /** Every command the steps ran (a retried one twice), run-time values substituted. */
  readonly ran: string[][] = [];
  readonly artifacts: LuksArtifacts = { crypttab: [], keyFiles: [] };
  private readonly guard: DeviceGuard;
  private readonly timeout: number;
  /** `<…>` token → its run-time value (a key file's path). */
  private readonly values = new Map<string, string>();

  constructor(
    readonly host: Host,
    private readonly opts: DisksOptions,
  ) {
    this.probes = new Runner(host);
    this.guard = new DeviceGuard(host, opts.devices);
    this.timeout = opts.deviceTimeoutMs ?? 90_000;
  }

  async prepare(devices: string[], ctxt: string): Promise<Map<string, Target>> {
    await waitForDevices(this.host, devices, ctxt, this.timeout);
    const res = new Map<string, Target>();
    for (const device of devices) {
      this.guard.check(device, this.host.fs.realpathSync(device));
      const { alias, target } = createAlias(this.host, device);
      res.set(device, { device, alias, node: target, probe: alias });
    }
    return res;
  }

  step(s: Step): Promise<CommandResult> {
    return this.exec(s, this.plan, this.ran);
  }

  private async exec(s: Step, plan: PlannedCommand[], ran: string[][]): Promise<CommandResult> {
    const argv = s.argv.map((a) => this.values.get(a) ?? a);
    plan.push(planned(s));
    let r: CommandResult;
    for (let attempt = 1; ; attempt++) {
      this.host.log.debug(`executing: ${argv.map((a) => JSON.stringify(a)).join(' ')}`);
      ran.push(argv);
      r = await this.host.run(argv);
      if (r.code === 0 || !s.retry || attempt === 2) break;
      this.host.log.info(`potential error encountered (exit status ${r.code}); retrying`);
    }
    if (r.code !== 0) throw new DisksError((s.bare ? s.fail : `${s.fail}: ${commandError(argv, r)}`) + this.vanished(argv));
    return r;
  }

  /** ` (device "/dev/x" disappeared)` when a device the command was given is gone (unplugged, detached). */
  private vanished(argv: string[]): string {
    const aliases = path.join(this.host.paths.runDir, 'dev_aliases') + '/';
    const gone = argv.filter((a) => a.startsWith(aliases) && !this.host.fs.existsSync(a));
    return gone.map((a) => ` (device ${JSON.stringify(this.host.fs.readlinkSync(a))} disappeared)`).join('');
  }

  async groups(list: StepGroup[], concurrency: number): Promise<void> {
    // Each group records into its own lists, appended in plan order, so `ran` reads like the plan.
    const records = list.map(() => ({ plan: [] as PlannedCommand[], ran: [] as string[][] }));
    const errors: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < list.length; i = next++) {
        const g = list[i];
        try {
          if (g.error) throw new DisksError(g.error);
          for (const s of g.steps) await this.exec(s, records[i].plan, records[i].ran);
          if (g.settle) await this.settle(g.settle);
        } catch (e) {
          errors[i] = e instanceof Error ? e.message : String(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), list.length) }, worker));
    for (const r of records) {
      this.plan.push(...r.plan);
      this.ran.push(...r.ran);
    }
    const failed = errors.filter((e) => e !== undefined);
    if (failed.length) throw new DisksError(failed.join('\n'));
  }

  tableAfterWipe(t: Target): Promise<PartitionTable> {
    return readTable(this.probes, t.probe);
  }

  async pretend(t: Target, options: string[]): Promise<{ out: string }> {
    const r = await this.probes.try([this.host.tools.sgdisk, '--pretend', ...options, t.probe]);
    if (r.code !== 0) throw new DisksError(`failed to pretend to create partitions. Err: exit status ${r.code}. Stderr: ${r.stderr}`);
    return { out: r.stdout };
  }

  beforeKernelSync(): Promise<void> {
    return udevSettle(this.host);
  }

  async partitioned(t: Target, plan: PartitionPlan, before: KernelPartition[], sectorSize: number): Promise<void> {
    await settle(this.host, t.node);
    const wrong = kernelMismatch(kernelPartitions(this.host, t.node), plan.final, sectorSize, t.node);
    if (wrong) throw new DisksError(wrong);
    for (const k of before) {
      const node = partitionNode(t.node, k.number);
      if (!plan.final.some((e) => e.number === k.number) && this.host.fs.existsSync(node))
        throw new DisksError(`${q(node)} unexpectedly exists after partitioning`);
    }
  }

  async produced(node: string, _how: string, wait?: { ctxt: string }): Promise<void> {
    if (wait) await waitForDevices(this.host, [node], wait.ctxt, this.timeout);
    this.guard.produce(node);
  }

  settle(t: Target): Promise<void> {
    return settle(this.host, t.node);
  }

  async luksKey(l: Luks): Promise<LuksKey> {
    const generated = !l.keyFile?.source;
    let contents: Buffer;
    if (!generated) {
      contents = await this.fetch(l.keyFile!);
    } else {
      // Hex text, not raw bytes: clevis mishandles binary key files.
      contents = Buffer.from(randomBytes(4096).toString('hex'));
    }
    const dir = this.host.fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-luks-'));
    const file = path.join(dir, 'key');
    this.host.fs.writeFileSync(file, contents, { mode: 0o400 });
    const token = keyToken(l);
    this.values.set(token, file);
    return { token, generated, contents };
  }

  releaseKey(key: LuksKey): void {
    const file = this.values.get(key.token);
    this.values.delete(key.token);
    if (file) this.host.fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }

  async fetchTang(l: Luks): Promise<void> {
    // An unreachable server fails here with a clear message (after retries), not inside clevis.
    for (const t of l.clevis?.tang ?? []) {
      if (t.advertisement) continue;
      const url = t.url.replace(/\/+$/, '') + '/adv';
      try {
        await this.fetch({ source: url });
      } catch (e) {
        throw new DisksError(`fetching tang advertisement: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private fetch(res: Resource): Promise<Buffer> {
    return this.opts.fetch ? this.opts.fetch(res) : fetchToBuffer(res);
  }

  luksDone(l: Luks, uuid: string, key: LuksKey): void {
    this.artifacts.crypttab.push(crypttabLine(l, uuid, this.host.paths.luksKeyDir));
    if (!hasClevis(l))
      this.artifacts.keyFiles.push({ name: l.name, path: path.posix.join(this.host.paths.luksKeyDir, l.name), contents: key.contents, mode: 0o600 });
  }
}
