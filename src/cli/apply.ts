// kindling apply --root DIR [--ignore-unsupported] [--offline] [--dry-run] CONFIG|-
// Like ignition-apply: renders merge/replace, then applies files, directories, links, units and
// (unlike ignition-apply) users and groups to DIR. No result file, no relabel.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { loadConfig } from '../input/load.js';
import { parseIgnition } from '../config/parse.js';
import { mergeConfigs } from '../config/merge.js';
import { checkConfig } from '../config/check.js';
import { LATEST } from '../model/versions.js';
import { renderIgnition } from '../diag/render.js';
import { formatPath, type Diagnostic } from '../diag/diagnostic.js';
import { isNeedNet } from '../fetch/index.js';
import { redactUrl } from '../fetch/redact.js';
import type { Config } from '../generated/types.js';
import { realHost, stderrLogger } from '../host/host.js';
import { pathsFromEnv } from '../host/tools.js';
import { settingsFrom } from '../fetch/settings.js';
import { OpError } from '../stages/files/errors.js';
import { realFetcher } from '../fetch/resource-fetcher.js';
import { formatFailure, yamlWhere } from '../engine/report.js';
import { renderConfig, RenderError } from '../engine/render.js';
import { planInProcess, refusals, runInProcess } from '../engine/in-process.js';
import { networkNeeds } from '../stages/fetch-offline.js';
import type { StageName } from '../stages/stage.js';
import { DisksError } from '../disks/index.js';

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
  const host = realHost({ log, paths: pathsFromEnv(process.env) });
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

  // Without --disks only the files stage runs; with it, the stages a first boot runs on disks.
  const stages: StageName[] = args.disks ? ['kargs', 'disks', 'mount', 'files', 'umount'] : ['files'];
  const refused = refusals(config, stages);
  if (refused.length > 0) {
    if (!args.ignoreUnsupported) {
      for (const r of refused) process.stderr.write(`kindling apply: ${r}\n`);
      process.stderr.write('hint: use --ignore-unsupported to apply the rest and skip these sections\n');
      return 1;
    }
    for (const r of refused) log.warn(`ignoring: ${r}`);
  }
  if (args.offline) {
    const net = networkNeeds(config);
    if (net.length > 0) {
      for (const n of net) process.stderr.write(`kindling apply: ${formatPath(n.path)}: ${redactUrl(n.what)}: resource requires networking\n`);
      process.stderr.write('hint: run without --offline, or inline the data as data: URLs\n');
      return 1;
    }
  }

  const fetcher = realFetcher(await settingsFrom(config, fetchOptions, realFetcher));
  const run = { root, host, fetcher, devices: args.disks ? args.devices : undefined };
  try {
    if (args.dryRun) return await printPlan(config, stages, run, loaded.sourceOf);
    await runInProcess(config, stages, run);
  } catch (e) {
    if (e instanceof OpError) process.stderr.write(formatFailure(e, { sourceOf: loaded.sourceOf }));
    else if (e instanceof DisksError) process.stderr.write(`disks failed: ${e.message}\n`);
    else process.stderr.write(`apply failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    await fetcher.close();
  }
  return 0;
}

/** `--dry-run`: every stage's plan, numbered, each step with the config entry it comes from. */
async function printPlan(
  config: Config,
  stages: StageName[],
  run: Parameters<typeof runInProcess>[2],
  sourceOf: Parameters<typeof yamlWhere>[1],
): Promise<number> {
  const plans = await planInProcess(config, stages, run);
  let n = 0;
  let errors = 0;
  for (const { plan } of plans) {
    for (const e of plan.errors)
      process.stdout.write(`error ${e.configPath ? formatPath(e.configPath) + ': ' : ''}${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}\n`);
    errors += plan.errors.length;
    for (const s of plan.steps) {
      const where = s.configPath ? `  [${formatPath(s.configPath)}${yamlWhere(s.configPath, sourceOf)}]` : '';
      process.stdout.write(`${String(++n).padStart(4)}. ${s.text}${where}\n`);
    }
  }
  if (stages.includes('mount') && stages.includes('files')) process.stdout.write('     (then the files stage on the mounted root, and umount)\n');
  return errors > 0 ? 1 : 0;
}
