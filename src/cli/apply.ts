// kindling apply --root DIR [--ignore-unsupported] [--offline] [--dry-run] CONFIG|-
// Like ignition-apply: renders merge/replace, then applies files, directories, links, units and
// (unlike ignition-apply) users and groups to DIR. No result file, no relabel.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { loadConfig } from '../config/load.js';
import { parseIgnition } from '../config/parse.js';
import { mergeConfigs } from '../config/merge.js';
import { checkConfig } from '../config/check.js';
import { LATEST } from '../model/versions.js';
import { renderIgnition } from '../diag/render.js';
import { formatPath, type Diagnostic } from '../diag/diagnostic.js';
import { isNeedNet } from '../fetch/index.js';
import { redactUrl } from '../fetch/redact.js';
import type { Config } from '../generated/types.js';
import { realHost, stderrLogger, type Host } from '../host/host.js';
import type { FetchOptions } from '../fetch/index.js';
import { settingsFrom } from '../render/settings.js';
import { OpError } from '../apply/errors.js';
import { realFetcher } from '../apply/fetcher.js';
import { formatFailure, yamlWhere, type ReportOptions } from '../apply/report.js';
import { describeOp, describeWhere } from '../plan/describe.js';
import { renderConfig, RenderError } from '../render/render.js';
import { runFilesStage } from '../files/stage.js';
import { networkSources, unsupportedSections } from '../apply/preflight.js';

const USAGE = `usage: kindling apply --root DIR [--ignore-unsupported] [--offline] [--dry-run] [--verbose]
                     [--disks --device DEV...] CONFIG|-

  --disks        also run the disks, mount and umount stages against real block devices
                 (partitions, RAID, LUKS, filesystems), for installers and tests
  --device DEV   a block device the disks stage may modify (repeat for each); required with --disks
`;

interface Args {
  root?: string;
  ignoreUnsupported: boolean;
  offline: boolean;
  dryRun: boolean;
  verbose: boolean;
  disks: boolean;
  devices: string[];
  config?: string;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { ignoreUnsupported: false, offline: false, dryRun: false, verbose: false, disks: false, devices: [] };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '-' || !raw.startsWith('-')) {
      if (a.config !== undefined) return `unexpected argument ${JSON.stringify(raw)}`;
      a.config = raw;
      continue;
    }
    const [flag, inline] = raw.replace(/^--?/, '').split(/=(.*)/s, 2);
    switch (flag) {
      case 'root': {
        const v = inline ?? argv[++i];
        if (v === undefined) return '--root needs a directory';
        a.root = v;
        break;
      }
      case 'ignore-unsupported':
        a.ignoreUnsupported = true;
        break;
      case 'offline':
        a.offline = true;
        break;
      case 'dry-run':
        a.dryRun = true;
        break;
      case 'disks':
        a.disks = true;
        break;
      case 'device': {
        const v = inline ?? argv[++i];
        if (v === undefined) return '--device needs a block device';
        a.devices.push(v);
        break;
      }
      case 'verbose':
      case 'v':
        a.verbose = true;
        break;
      case 'h':
      case 'help':
        return 'help';
      default:
        return `unknown flag ${raw}`;
    }
  }
  if (!a.root) return '--root is required';
  if (a.disks && a.devices.length === 0) return '--disks needs the block devices it may modify, each named with --device';
  if (!a.disks && a.devices.length > 0) return '--device only goes with --disks';
  if (a.config === undefined) return 'a config file (or - for stdin) is required';
  return a;
}

function printDiags(diags: readonly Diagnostic[]): void {
  for (const d of diags) process.stderr.write(renderIgnition(d) + '\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    if (args === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    process.stderr.write(`kindling apply: ${args}\n${USAGE}`);
    return 2;
  }
  const root = path.resolve(args.root!);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    process.stderr.write(`kindling apply: root ${root} is not a directory\n`);
    return 1;
  }
  const input = args.config === '-' ? fs.readFileSync(0) : fs.readFileSync(args.config!);
  const file = args.config === '-' ? '<stdin>' : args.config;
  const loaded = await loadConfig(input, { file });
  printDiags(loaded.diagnostics);
  if (!loaded.config) {
    process.stderr.write('kindling apply: config is not valid\n');
    return 1;
  }
  const log = stderrLogger(args.verbose);
  // KINDLING_RUN_DIR moves /run/ignition (device aliases) elsewhere, e.g. for tests.
  const host = realHost({ log, paths: process.env.KINDLING_RUN_DIR ? { runDir: process.env.KINDLING_RUN_DIR } : {} });
  const fetchOptions = { offline: args.offline, log };

  let config: Config;
  try {
    config = await renderConfig(loaded.config, {
      factory: realFetcher,
      parse: (buf, o) => parseIgnition(buf, o),
      merge: mergeConfigs,
      validate: (c) => checkConfig(c, LATEST),
      fetchOptions,
    });
  } catch (e) {
    if (e instanceof RenderError) {
      printDiags(e.diagnostics);
      process.stderr.write(`kindling apply: ${e.message}\n`);
      return 1;
    }
    if (isNeedNet(e)) {
      process.stderr.write('kindling apply: a referenced config requires networking (--offline)\n');
      return 1;
    }
    throw e;
  }

  if (args.disks) return applyWithDisks(config, host, root, args, fetchOptions, loaded.sourceOf);

  const refused = unsupportedSections(config);
  if (refused.length > 0) {
    if (!args.ignoreUnsupported) {
      for (const r of refused) process.stderr.write(`kindling apply: ${r}\n`);
      process.stderr.write('hint: use --ignore-unsupported to apply the rest and skip these sections\n');
      return 1;
    }
    for (const r of refused) log.warn(`ignoring: ${r}`);
  }
  if (args.offline) {
    const net = networkSources(config);
    if (net.length > 0) {
      for (const n of net) process.stderr.write(`kindling apply: ${formatPath(n.path)}: ${redactUrl(n.source)}: resource requires networking\n`);
      process.stderr.write('hint: run without --offline, or inline the data as data: URLs\n');
      return 1;
    }
  }

  try {
    const plan = await runFilesStage(config, host, { root, mode: 'apply', fetchOptions, dryRun: args.dryRun });
    if (args.dryRun) {
      for (const e of plan.errors)
        process.stdout.write(`error ${e.configPath ? formatPath(e.configPath) + ': ' : ''}${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}\n`);
      plan.ops.forEach((op, i) => {
        const where = describeWhere(op);
        process.stdout.write(`${String(i + 1).padStart(4)}. ${describeOp(op)}${where ? `  [${where}${yamlWhere(op.configPath, loaded.sourceOf)}]` : ''}\n`);
      });
      return plan.errors.length > 0 ? 1 : 0;
    }
  } catch (e) {
    if (e instanceof OpError) {
      process.stderr.write(formatFailure(e, { sourceOf: loaded.sourceOf }));
      return 1;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`apply failed: ${msg}\n`);
    return 1;
  }
  return 0;
}

/**
 * `--disks`: disks → mount → files → umount, as the boot stages would run them, on the devices the
 * caller named. The root is unmounted even when a later stage fails.
 */
async function applyWithDisks(
  config: Config,
  host: Host,
  root: string,
  args: Args,
  fetchOptions: FetchOptions,
  sourceOf: ReportOptions['sourceOf'],
): Promise<number> {
  const { runDisks, runMount, runUmount, planDisks, formatPlan, planMount, DisksError, luksFilesFragment } = await import('../disks/index.js');
  const refused = unsupportedSections(config).filter((r) => r.startsWith('cannot apply kargs'));
  if (refused.length > 0 && !args.ignoreUnsupported) {
    for (const r of refused) process.stderr.write(`kindling apply: ${r}\n`);
    process.stderr.write('hint: use --ignore-unsupported to apply the rest and skip these sections\n');
    return 1;
  }
  if (args.dryRun) {
    try {
      const commands = [...(await planDisks(config, host, { devices: args.devices })), ...planMount(config, root, host.tools).mount];
      process.stdout.write(formatPlan(commands));
    } catch (e) {
      if (!(e instanceof DisksError)) throw e;
      process.stderr.write(`disks failed: ${e.message}\n`);
      return 1;
    }
    process.stdout.write('     (then the files stage on the mounted root, and umount)\n');
    return 0;
  }
  const fetcher = realFetcher(await settingsFrom(config, { log: host.log, ...fetchOptions }, realFetcher));
  let mounted = false;
  try {
    const disks = await runDisks(config, host, {
      devices: args.devices,
      fetchKeyFile: (res) => fetcher.toBuffer(res),
      fetchUrl: (url) => fetcher.toBuffer({ source: url }),
    });
    mounted = true;
    const { createdDirs } = await runMount(config, host, { root });
    const keyDir = host.paths.luksKeyDir;
    const extra = luksFilesFragment(disks, { keyDir, keyDirExists: fs.existsSync(path.join(root, keyDir)) });
    await runFilesStage(extra ? mergeConfigs(config, extra) : config, host, { root, mode: 'apply', fetcher, notatedDirectories: createdDirs });
  } catch (e) {
    if (e instanceof OpError) process.stderr.write(formatFailure(e, { sourceOf }));
    else if (e instanceof DisksError) process.stderr.write(`disks failed: ${e.message}\n`);
    else throw e;
    return 1;
  } finally {
    await fetcher.close();
    if (mounted) await runUmount(config, host, { root }).catch((e: unknown) => process.stderr.write(`umount failed: ${(e as Error).message}\n`));
  }
  return 0;
}
