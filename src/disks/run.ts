// The disks stage executor: partitions → RAID → LUKS → filesystems, in Ignition's order, each step
// decided by the pure planners and carried out through the Host.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Config, Disk, Filesystem, Luks, Resource } from '../generated/types.js';
import type { Host } from '../host/host.js';
import { createAlias, diskUsage, kernelPartitions, partitionNode, settle, waitForDevices } from './devices.js';
import { Runner } from './exec.js';
import { decideFilesystem, isBlockFilesystem, mkfsArgv } from './filesystems.js';
import { DeviceGuard } from './guard.js';
import { canProveUnlock, clevisBindArgv, crypttabLine, hasClevis, luksFormatArgv, luksOpenArgv } from './luks.js';
import { DisksError } from './model.js';
import { decidePartitions, preparePretend, q, resolveWithPretend } from './partitions.js';
import { probeFs, readTable } from './probe.js';
import { mdadmArgv, raidDevice } from './raid.js';

export interface DisksOptions {
  /** Devices this run may modify (and their partitions). Required unless /etc/initrd-release exists. */
  devices?: string[];
  /** How long to wait for each group of device nodes to appear (default 90 s, systemd's default). */
  deviceTimeoutMs?: number;
  /** Fetches a LUKS keyFile resource (the lead wires the real fetcher). */
  fetchKeyFile?: (res: Resource) => Promise<Buffer>;
  /** GETs a URL (tang advertisements); defaults to global fetch with a few retries. */
  fetchUrl?: (url: string) => Promise<Buffer>;
  /** Parallel mkfs workers (default: number of CPUs). */
  concurrency?: number;
}

/** What the files stage must write for LUKS volumes (reference §3.9 step 7). */
export interface LuksArtifacts {
  /** Lines for `/etc/crypttab` (0600), one per volume, in config order. */
  crypttab: string[];
  /** Key files for `/etc/luks/<name>` (0600, dir 0700) of volumes without clevis. */
  keyFiles: { name: string; path: string; contents: Buffer; mode: number }[];
}

export interface DisksResult extends LuksArtifacts {
  /** Every command that ran, in order (argv). */
  ran: string[][];
}

export function isNoOp(config: Config): boolean {
  const s = config.storage ?? {};
  return !s.disks?.length && !s.raid?.length && !s.luks?.length && !s.filesystems?.length;
}

class Stage {
  readonly run: Runner;
  readonly guard: DeviceGuard;
  readonly timeout: number;
  readonly artifacts: LuksArtifacts = { crypttab: [], keyFiles: [] };

  constructor(
    readonly host: Host,
    readonly opts: DisksOptions,
  ) {
    this.run = new Runner(host);
    this.guard = new DeviceGuard(host, opts.devices);
    this.timeout = opts.deviceTimeoutMs ?? 90_000;
  }

  /** Waits for the devices, checks they may be touched, and returns their aliases. */
  async prepare(devs: string[], ctxt: string): Promise<Map<string, { alias: string; target: string }>> {
    await waitForDevices(this.host, devs, ctxt, this.timeout);
    const res = new Map<string, { alias: string; target: string }>();
    for (const d of devs) {
      this.guard.check(d, this.host.fs.realpathSync(d));
      res.set(d, createAlias(this.host, d));
    }
    return res;
  }

  // ---- partitions -------------------------------------------------------------------------

  async partitions(disks: Disk[]): Promise<void> {
    const aliases = await this.prepare(
      disks.map((d) => d.device),
      'disks',
    );
    for (const disk of disks) {
      const { alias, target } = aliases.get(disk.device)!;
      await this.partitionDisk(disk, alias, target);
    }
  }

  private async partitionDisk(disk: Disk, alias: string, resolved: string): Promise<void> {
    const sg = this.host.tools.sgdisk;
    const usage = diskUsage(this.host, resolved);
    if (usage.direct && usage.activePartitions.length === 0) throw new DisksError(`refusing to operate on directly active disk ${q(alias)}`);
    if (disk.wipeTable) {
      if (usage.activePartitions.length) throw new DisksError(`refusing to wipe active disk ${q(alias)}`);
      this.host.log.info(`wiping partition table requested on ${q(alias)}`);
      // sgdisk exits 2 after zapping a corrupt table; a second run then succeeds.
      const first = await this.run.try([sg, '--zap-all', alias]);
      if (first.code !== 0) await this.run.must([sg, '--zap-all', alias], 'create partitions failed');
    }
    const table = await readTable(this.run, alias);
    const req = preparePretend(disk, table);
    let pretendOut = '';
    if (req.options.length) {
      const argv = [sg, '--pretend', ...req.options, alias];
      const r = await this.run.try(argv);
      if (r.code !== 0) throw new DisksError(`failed to pretend to create partitions. Err: exit status ${r.code}. Stderr: ${r.stderr}`);
      pretendOut = r.stdout;
    }
    const plan = decidePartitions(table, resolveWithPretend(req, pretendOut), { device: alias, active: new Set(usage.activePartitions) });
    for (const n of plan.notes) this.host.log.info(n);
    if (plan.commit.length) await this.run.must([sg, ...plan.commit, alias], 'commit failure: create partitions failed');

    await this.syncKernel(resolved, table.sectorSize, plan.final);
    await settle(this.host, resolved);
    this.verifyKernel(resolved, table.sectorSize, plan.final, plan.deleted);
  }

  /**
   * sgdisk only asks the kernel to re-read the whole table (BLKRRPART), which fails while any
   * partition is mounted and drops everything on kernels without a GPT parser. So compare the
   * kernel's view with the table we wrote and fix each difference with partx (BLKPG).
   */
  private async syncKernel(disk: string, sectorSize: number, final: { number: number; start: number; size: number }[]): Promise<void> {
    const k = sectorSize / 512;
    const cur = new Map(kernelPartitions(this.host, disk).map((p) => [p.number, p]));
    const want = new Map(final.map((p) => [p.number, p]));
    const partx = (op: string, n: number) => this.run.try([this.host.tools.partx, `--${op}`, '--nr', String(n), disk]);
    for (const n of cur.keys()) if (!want.has(n)) await this.noticeOnFailure(partx('delete', n));
    for (const [n, p] of want) {
      const have = cur.get(n);
      if (!have) await this.noticeOnFailure(partx('add', n));
      else if (have.start !== p.start * k || have.size !== p.size * k) await this.noticeOnFailure(partx('update', n));
    }
  }

  private async noticeOnFailure(p: Promise<{ code: number; stderr: string }>): Promise<void> {
    const r = await p;
    if (r.code !== 0) this.host.log.info(`partx exited ${r.code}: ${r.stderr.trim()}`);
  }

  private verifyKernel(disk: string, sectorSize: number, final: { number: number; start: number; size: number }[], deleted: number[]): void {
    const k = sectorSize / 512;
    const kernel = new Map(kernelPartitions(this.host, disk).map((p) => [p.number, p]));
    for (const n of deleted) {
      const node = partitionNode(disk, n);
      if (kernel.has(n) || this.host.fs.existsSync(node)) throw new DisksError(`${q(node)} unexpectedly exists after partitioning`);
    }
    for (const p of final) {
      const node = partitionNode(disk, p.number);
      const have = kernel.get(p.number);
      if (!have) throw new DisksError(`failed to read start of ${q(node)} from sysfs: the kernel does not know partition ${p.number}`);
      if (have.start !== p.start * k)
        throw new DisksError(`kernel partition start for ${q(node)} does not match expected (${have.start} != ${p.start * k} 512-byte sectors)`);
      if (have.size !== p.size * k)
        throw new DisksError(`kernel partition size for ${q(node)} does not match expected (${have.size} != ${p.size * k} 512-byte sectors)`);
    }
  }

  // ---- RAID -----------------------------------------------------------------------------

  async raids(config: Config): Promise<void> {
    const arrays = config.storage?.raid ?? [];
    const aliases = await this.prepare(
      arrays.flatMap((a) => a.devices),
      'raids',
    );
    for (const md of arrays) {
      await this.run.must(
        mdadmArgv(
          md,
          md.devices.map((d) => aliases.get(d)!.alias),
          this.host.tools.mdadm,
        ),
        'mdadm failed',
      );
      const node = raidDevice(md);
      await waitForDevices(this.host, [node], 'raids', this.timeout);
      this.guard.produce(node);
    }
  }

  // ---- LUKS -----------------------------------------------------------------------------

  async luks(config: Config): Promise<void> {
    const vols = config.storage?.luks ?? [];
    const aliases = await this.prepare(
      vols.map((l) => l.device),
      'luks',
    );
    for (const l of vols) await this.luksVolume(l, aliases.get(l.device)!.alias);
  }

  private async luksVolume(l: Luks, dev: string): Promise<void> {
    const cs = this.host.tools.cryptsetup;
    const tmp = this.host.fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-luks-'));
    const keyPath = path.join(tmp, 'key');
    try {
      const generated = !l.keyFile?.source;
      let key: Buffer;
      if (!generated) {
        if (!this.opts.fetchKeyFile) throw new DisksError(`failed to create keyfile for ${q(l.name)}: no fetcher configured`);
        key = await this.opts.fetchKeyFile(l.keyFile!);
      } else {
        // Hex text, not raw bytes: clevis mishandles binary key files.
        key = Buffer.from(randomBytes(4096).toString('hex'));
      }
      this.host.fs.writeFileSync(keyPath, key, { mode: 0o400 });
      let persistKey = true;

      let reused = false;
      if (!l.wipeVolume) {
        reused = await this.tryReuseLuks(l, dev, keyPath);
      } else {
        await this.run.must([this.host.tools.wipefs, '-a', dev], 'wipefs failed');
      }
      if (!reused) {
        await this.run.must(luksFormatArgv(l, dev, keyPath, this.host.tools), 'cryptsetup failed');
        await this.run.must(luksOpenArgv(l, dev, keyPath, this.host.tools), 'opening luks device');
        if (hasClevis(l)) await this.bindClevis(l, dev, keyPath);
        if (generated && hasClevis(l)) {
          // The user did not ask for this key; leave only the clevis binding.
          await this.run.must([cs, 'luksRemoveKey', dev, keyPath], 'removing key file from luks device');
          persistKey = false;
        }
        await settle(this.host, this.host.fs.realpathSync(dev));
      }
      this.guard.produce(`/dev/mapper/${l.name}`);
      const uuid = (await this.run.must([cs, 'luksUUID', dev], 'gathering luks uuid')).stdout.trim();
      this.artifacts.crypttab.push(crypttabLine(l, uuid, this.host.paths.luksKeyDir));
      if (persistKey && !hasClevis(l))
        this.artifacts.keyFiles.push({ name: l.name, path: path.posix.join(this.host.paths.luksKeyDir, l.name), contents: key, mode: 0o600 });
    } finally {
      this.host.fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Returns true when an existing LUKS2 volume matches and is now open; throws when it can't be used. */
  private async tryReuseLuks(l: Luks, dev: string, keyPath: string): Promise<boolean> {
    const cs = this.host.tools.cryptsetup;
    if ((await this.run.try([cs, 'isLuks', dev, '--type', 'luks2'])).code === 0) {
      const why = await this.luksMismatch(l, dev, keyPath);
      if (why)
        throw new DisksError(`volume is not of the correct type: volume wipe was not requested and luks device ${q(l.device)} could not be reused: ${why}`);
      this.host.log.info(`volume at ${q(l.device)} is already correctly formatted. Skipping...`);
      return true;
    }
    if ((await this.run.try([cs, 'isLuks', dev])).code === 0) throw new DisksError(`${l.device} is a luks device but not luks2; Ignition cannot reuse it`);
    const found = await probeFs(this.run, dev);
    if (found.type)
      throw new DisksError(`volume is not of the correct type: volume at ${q(l.device)} is not of the correct type (found ${found.type}) and a volume wipe was not requested`);
    return false;
  }

  private async luksMismatch(l: Luks, dev: string, keyPath: string): Promise<string | undefined> {
    const cs = this.host.tools.cryptsetup;
    if (hasClevis(l)) return 'config must not specify clevis binding';
    if (!l.keyFile?.source) return 'config must specify keyfile';
    if (l.label !== undefined) {
      const found = await probeFs(this.run, dev);
      if (found.label !== l.label) return `volume label ${q(found.label)} doesn't match expected label ${q(l.label)}`;
    }
    if (l.uuid !== undefined) {
      const u = (await this.run.must([cs, 'luksUUID', dev], 'reading luks uuid')).stdout.trim();
      if (u !== l.uuid) return `volume UUID ${q(u)} doesn't match expected UUID ${q(l.uuid)}`;
    }
    const dump = await this.run.must([cs, 'luksDump', '--dump-json-metadata', dev], 'reading luks metadata');
    const flags = ((JSON.parse(dump.stdout) as { config?: { flags?: string[] } }).config?.flags ?? []) as string[];
    const discard = flags.includes('allow-discards');
    if (discard !== (l.discard === true)) return `volume allow-discards flag ${discard} doesn't match expected value ${l.discard === true}`;
    if ((await this.run.try(luksOpenArgv(l, dev, keyPath, this.host.tools))).code !== 0) return 'failed to open device using specified keyfile';
    return undefined;
  }

  /** Exported for the tang test through `bindClevisOnly`. */
  async bindClevis(l: Luks, dev: string, keyPath: string): Promise<void> {
    // Fetch each online tang advertisement first, so an unreachable server fails with a clear
    // message (and retries) instead of inside clevis.
    for (const t of l.clevis?.tang ?? []) {
      if (t.advertisement) continue;
      const url = t.url.replace(/\/+$/, '') + '/adv';
      try {
        await (this.opts.fetchUrl ?? defaultFetchUrl)(url);
      } catch (e) {
        throw new DisksError(`fetching tang advertisement: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    await this.run.must(clevisBindArgv(l, dev, keyPath, this.host.tools), 'binding clevis device');
    if (canProveUnlock(l)) {
      await this.run.must([this.host.tools.cryptsetup, 'luksClose', l.name], 'closing luks device');
      await this.run.must([this.host.tools.clevis, 'luks', 'unlock', '-d', dev, '-n', l.name], `reopening luks device ${l.name}`);
    }
  }

  // ---- filesystems ----------------------------------------------------------------------

  async filesystems(config: Config): Promise<void> {
    const fss = (config.storage?.filesystems ?? []).filter(isBlockFilesystem);
    const aliases = await this.prepare(
      fss.map((f) => f.device),
      'filesystems',
    );
    const limit = Math.max(1, this.opts.concurrency ?? os.availableParallelism());
    const queue = [...fss];
    const errors: string[] = [];
    const worker = async () => {
      for (let fs = queue.shift(); fs; fs = queue.shift()) {
        try {
          await this.filesystem(fs, aliases.get(fs.device)!.alias);
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, fss.length) }, worker));
    if (errors.length) throw new DisksError(errors.join('\n'));
  }

  private async filesystem(fs: Filesystem, dev: string): Promise<void> {
    const found = await probeFs(this.run, dev);
    this.host.log.info(`found ${found.type} filesystem at ${q(fs.device)} with uuid ${q(found.uuid)} and label ${q(found.label)}`);
    const d = decideFilesystem(fs, found);
    if (d.action === 'skip') {
      this.host.log.info(d.note);
      return;
    }
    await this.run.must([this.host.tools.wipefs, '-a', dev], 'wipefs failed');
    const argv = mkfsArgv(fs, dev, this.host.tools);
    if (!argv) return;
    await this.run.must(argv, 'mkfs failed');
    await settle(this.host, this.host.fs.realpathSync(dev));
  }
}

async function defaultFetchUrl(url: string): Promise<Buffer> {
  let delay = 200;
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await fetch(url);
      if (r.ok) return Buffer.from(await r.arrayBuffer());
      if (r.status < 500) throw new Error(`GET ${url}: HTTP ${r.status}`);
    } catch (e) {
      if (attempt >= 8) throw e;
    }
    await new Promise((res) => setTimeout(res, delay));
    delay = Math.min(delay * 2, 5000);
  }
}

/** Runs the disks stage. Throws DisksError with Ignition's stage-level prefixes. */
export async function runDisks(config: Config, host: Host, opts: DisksOptions = {}): Promise<DisksResult> {
  if (isNoOp(config)) return { ran: [], crypttab: [], keyFiles: [] };
  const st = new Stage(host, opts);
  const step = async (prefix: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      if (e instanceof DisksError) throw new DisksError(`${prefix}: ${e.message}`);
      throw e;
    }
  };
  const s = config.storage ?? {};
  if (s.disks?.length) await step('create partitions failed', () => st.partitions(s.disks!));
  if (s.raid?.length) await step('failed to create raids', () => st.raids(config));
  if (s.luks?.length) await step('failed to create luks', () => st.luks(config));
  if (s.filesystems?.length) await step('failed to create filesystems', () => st.filesystems(config));
  return { ran: st.run.ran, ...st.artifacts };
}

/**
 * Binds clevis to an already formatted LUKS volume (the clevis step of the LUKS executor on its
 * own): lets a machine without device-mapper still test tang/tpm2/custom bindings for real.
 */
export async function bindClevisOnly(l: Luks, host: Host, keyFile: string, opts: DisksOptions = {}): Promise<string[][]> {
  const st = new Stage(host, opts);
  const [{ alias }] = (await st.prepare([l.device], 'luks')).values();
  await st.bindClevis(l, alias, keyFile);
  return st.run.ran;
}
