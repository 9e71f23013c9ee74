// kindling apply --root DIR [options] CONFIG|-
// Like ignition-apply: renders merge/replace, then applies files, directories, links, units and
// (unlike ignition-apply) users and groups to DIR. No result file, no relabel.
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig } from '../input/load.js';
import { parseIgnition } from '../config/parse.js';
import { mergeConfigs } from '../config/merge.js';
import { checkConfig } from '../config/check.js';
import { LATEST } from '../model/versions.js';
import { renderIgnition } from '../diag/render.js';
import { formatPath, type Diagnostic } from '../diag/diagnostic.js';
import { FetchError, isNeedNet, type FetchOptions } from '../fetch/index.js';
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
import { parseGoDuration, readCommandLine, usageError, type CommandSpec } from './args.js';
import { readInput } from './input.js';
import { reader } from '../host/reader.js';
import { isDirMode } from '../host/modes.js';

const SPEC = {
  name: 'apply',
  operands: '--root DIR CONFIG|-',
  summary:
    'Apply an Ignition config (or Butane YAML) to the directory DIR as a first boot would: render\nmerge/replace, then files, directories, links, systemd units, users and groups (like\nignition-apply; disks too with --disks). Exit 0 on success, 1 on failure, 2 on a usage error.',
  maxOperands: 1,
  flags: {
    root: { value: 'DIR', help: 'the root directory to apply the config to (required)' },
    'dry-run': { help: 'print the planned operations, each with the config entry it comes from;\nchange nothing' },
    offline: { help: 'refuse anything that needs the network' },
    'ignore-unsupported': { help: 'skip the sections apply cannot do (e.g. disks without --disks)\ninstead of failing' },
    'files-dir': { short: 'd', value: 'DIR', help: 'Butane input: directory that local file references are relative to' },
    'fetch-timeout': {
      value: 'DURATION',
      help: 'give up on a source that keeps failing after DURATION (30s, 2m,\n1m30s; a plain number is seconds), also where the config sets no\nignition.timeouts.httpTotal',
    },
    disks: { help: 'also run the disks, mount and umount stages against real block devices\n(partitions, RAID, LUKS, filesystems), for installers and tests' },
    device: { value: 'DEV', multiple: true, help: 'a block device the disks stage may modify (repeat for each);\nrequired with --disks' },
    'force-host': { help: 'allow --root / (the running system itself); otherwise refused' },
    verbose: { short: 'v', help: 'log every step' },
  },
} as const satisfies CommandSpec;

interface Args {
  root: string;
  ignoreUnsupported: boolean;
  offline: boolean;
  dryRun: boolean;
  verbose: boolean;
  disks: boolean;
  devices: string[];
  filesDir?: string;
  /** Seconds. */
  fetchTimeout?: number;
  forceHost: boolean;
  config: string;
}

function readArgs(argv: string[]): Args | number {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  const v = cl.values;
  if (v.root === undefined) return usageError(SPEC, '--root DIR is required');
  if (v.disks && v.device.length === 0) return usageError(SPEC, '--disks needs the block devices it may modify, each named with --device');
  if (!v.disks && v.device.length > 0) return usageError(SPEC, '--device only goes with --disks');
  if (cl.operands.length === 0) return usageError(SPEC, 'a config file (or - for stdin) is required');
  let fetchTimeout: number | undefined;
  if (v['fetch-timeout'] !== undefined) {
    const ms = /^\d+(\.\d+)?$/.test(v['fetch-timeout']) ? Number(v['fetch-timeout']) * 1000 : parseGoDuration(v['fetch-timeout']);
    if (ms === null || ms <= 0) return usageError(SPEC, `--fetch-timeout: ${JSON.stringify(v['fetch-timeout'])} is not a duration (e.g. 30s, 2m, 1m30s)`);
    fetchTimeout = Math.ceil(ms / 1000);
  }
  return {
    root: v.root,
    ignoreUnsupported: v['ignore-unsupported'],
    offline: v.offline,
    dryRun: v['dry-run'],
    verbose: v.verbose,
    disks: v.disks,
    devices: v.device,
    filesDir: v['files-dir'],
    fetchTimeout,
    forceHost: v['force-host'],
    config: cl.operands[0],
  };
}

/** `dir` names a directory, following symlinks; a path that cannot be looked up is none. */
function isDirectory(dir: string): boolean {
  try {
    const st = reader.stat(dir);
    return st !== undefined && isDirMode(st.mode);
  } catch {
    return false;
  }
}

function printDiags(diags: readonly Diagnostic[]): void {
  for (const d of diags) process.stderr.write(renderIgnition(d) + '\n');
}

export async function main(argv: string[]): Promise<number> {
  const args = readArgs(argv);
  if (typeof args === 'number') return args;
  const root = path.resolve(args.root);
  if (!isDirectory(root)) {
    process.stderr.write(`kindling apply: root ${root} is not a directory\n`);
    return 1;
  }
  if (fs.realpathSync(root) === '/' && !args.dryRun && !args.forceHost) {
    process.stderr.write(
      'kindling apply: --root / is the root of this system: applying there changes the running machine, which Ignition\n' +
        'never does (ignition-apply refuses outside a container; reprovision the machine instead).\n' +
        'hint: to preview, add --dry-run; if this is really meant (e.g. building a container image), add --force-host\n',
    );
    return 1;
  }
  const input = readInput(args.config);
  if ('error' in input) {
    process.stderr.write(`kindling apply: ${input.error}\n`);
    return 1;
  }
  const loaded = await loadConfig(input.bytes, { file: input.name, filesDir: args.filesDir, output: false });
  printDiags(loaded.diagnostics);
  if (!loaded.config) {
    process.stderr.write('kindling apply: config is not valid\n');
    return 1;
  }
  const log = stderrLogger(args.verbose);
  // KINDLING_RUN_DIR moves /run/ignition (device aliases) elsewhere, e.g. for tests.
  const host = realHost({ log, paths: pathsFromEnv(process.env) });
  const fetchOptions: FetchOptions = { offline: args.offline, log };
  if (args.fetchTimeout) fetchOptions.httpTotalCap = { seconds: args.fetchTimeout, by: '--fetch-timeout' };

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

  let settings: FetchOptions;
  try {
    settings = await settingsFrom(config, fetchOptions, realFetcher);
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    process.stderr.write(`kindling apply: ${e.message}\n`);
    return 1;
  }
  const fetcher = realFetcher(settings);
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
  // One write of the whole plan, not a system call a line.
  let text = '';
  let n = 0;
  let errors = 0;
  for (const { plan } of plans) {
    for (const e of plan.errors) text += `error ${e.configPath ? formatPath(e.configPath) + ': ' : ''}${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}\n`;
    errors += plan.errors.length;
    for (const s of plan.steps) {
      const where = s.configPath ? `  [${formatPath(s.configPath)}${yamlWhere(s.configPath, sourceOf)}]` : '';
      text += `${String(++n).padStart(4)}. ${s.text}${where}\n`;
    }
  }
  if (stages.includes('mount') && stages.includes('files')) text += '     (then the files stage on the mounted root, and umount)\n';
  process.stdout.write(text);
  return errors > 0 ? 1 : 0;
}
