// kindling boot: Ignition's stage command. Flags, defaults, exit codes and messages are Ignition's,
// in Go's flag syntax (`-platform=qemu`, `--stage files`), so distro glue written for Ignition calls
// it unchanged (it also answers to the name `ignition`).
import fs from 'node:fs';
import path from 'node:path';
import { runStage, DEFAULT_FAILURE_REPORT } from '../engine/engine.js';
import { EngineLog } from '../engine/log.js';
import { realHost, spawnRunner, type CommandRunner } from '../host/host.js';
import { defaultPaths, pathsFromEnv } from '../host/tools.js';
import { isPlatformId, platformIds } from '../providers/platforms.js';
import { getProvider } from '../providers/registry.js';
import { redactArgv } from '../host/host.js';
import { STAGE_NAMES, type StageName } from '../stages/stage.js';
import { PRODUCT_VERSION as VERSION } from '../model/product.js';
import { parseGoDuration } from './args.js';

export { parseGoDuration };

interface Flag {
  name: string;
  kind: 'string' | 'bool' | 'list';
  usage: string;
  dflt?: string;
  check?: (v: string) => string | undefined;
}

const FLAGS: Flag[] = [
  { name: 'config-cache', kind: 'string', dflt: '/run/ignition.json', usage: 'where to cache the config' },
  {
    name: 'fetch-timeout',
    kind: 'string',
    dflt: '2m0s',
    usage: 'initial duration for which to wait for config',
    check: (v) => (parseGoDuration(v) === null ? `parse error` : undefined),
  },
  { name: 'neednet', kind: 'string', dflt: '/run/ignition/neednet', usage: 'flag file to write from fetch-offline if networking is needed' },
  {
    name: 'platform',
    kind: 'string',
    usage: `current platform. [${platformIds().join(' ')}]`,
    check: (v) => (isPlatformId(v) ? undefined : `${v} is not a valid platform`),
  },
  { name: 'root', kind: 'string', dflt: '/', usage: 'root of the filesystem' },
  {
    name: 'stage',
    kind: 'string',
    usage: `execution stage. [${[...STAGE_NAMES].sort().join(' ')}]`,
    check: (v) => ((STAGE_NAMES as readonly string[]).includes(v) ? undefined : `${v} is not a valid stage`),
  },
  { name: 'state-file', kind: 'string', dflt: '/run/ignition/state', usage: 'where to store internal state' },
  { name: 'version', kind: 'bool', usage: 'print the version and exit' },
  { name: 'log-to-stdout', kind: 'bool', usage: 'log to stdout instead of the system log when set' },
  { name: 'device', kind: 'list', usage: '(kindling) a block device the disks stage may modify outside an initramfs; repeat for each' },
  { name: 'failure-report', kind: 'string', dflt: DEFAULT_FAILURE_REPORT, usage: '(kindling) where to write the JSON failure report' },
];

export function usage(prog = 'kindling boot'): string {
  const lines = [`Usage of ${prog}:`];
  for (const f of FLAGS) {
    lines.push(`  -${f.name}${f.kind === 'bool' ? '' : ' string'}`);
    lines.push(`    \t${f.usage}${f.dflt !== undefined && f.kind !== 'bool' ? ` (default ${JSON.stringify(f.dflt)})` : ''}`);
  }
  return lines.join('\n') + '\n';
}

export type BootFlags = Record<string, string | boolean | string[]>;

/** Go's flag parsing: `-x v`, `-x=v`, `--x v`; booleans take no value; stops at the first non-flag. */
export function parseGoFlags(argv: readonly string[]): BootFlags | { error: string } {
  const out: BootFlags = {};
  for (const f of FLAGS) if (f.dflt !== undefined) out[f.name] = f.dflt;
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    if (raw === '--') break;
    if (!raw.startsWith('-') || raw === '-') return { error: `unexpected argument ${JSON.stringify(raw)}` };
    const body = raw.slice(raw.startsWith('--') ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    if (name === 'h' || name === 'help') return { error: 'help' };
    const f = FLAGS.find((x) => x.name === name);
    if (!f) return { error: `flag provided but not defined: -${name}` };
    if (f.kind === 'bool') {
      const v = eq < 0 ? 'true' : body.slice(eq + 1);
      if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False', 'T', 'F'].includes(v))
        return { error: `invalid boolean value ${JSON.stringify(v)} for -${name}: parse error` };
      out[name] = v === 'true' || v === '1' || v === 't' || v === 'TRUE' || v === 'True' || v === 'T';
      continue;
    }
    let v: string;
    if (eq >= 0) v = body.slice(eq + 1);
    else if (i + 1 < argv.length) v = argv[++i];
    else return { error: `flag needs an argument: -${name}` };
    const bad = f.check?.(v);
    if (bad) return { error: `invalid value ${JSON.stringify(v)} for flag -${name}: ${bad}` };
    if (f.kind === 'list') out[name] = [...((out[name] as string[] | undefined) ?? []), v];
    else out[name] = v;
  }
  return out;
}

/** Logs every command with its (redacted) argv before running it, as Ignition does. */
function loggingRunner(log: EngineLog): CommandRunner {
  return {
    run(argv, opts) {
      log.debug(
        `executing: ${redactArgv(argv)
          .map((a) => JSON.stringify(a))
          .join(' ')}`,
      );
      return spawnRunner.run(argv, opts);
    },
  };
}

export async function main(argv: string[], prog = 'kindling boot'): Promise<number> {
  const flags = parseGoFlags(argv);
  if ('error' in flags) {
    if (flags.error === 'help') {
      process.stderr.write(usage(prog));
      return 0;
    }
    process.stderr.write(`${flags.error}\n${usage(prog)}`);
    return 2;
  }
  if (flags.version) {
    process.stdout.write(`Kindling ${VERSION}\n`);
    return 0;
  }
  if (!flags.platform) {
    process.stderr.write("'--platform' must be provided\n");
    return 2;
  }
  if (!flags.stage) {
    process.stderr.write("'--stage' must be provided\n");
    return 2;
  }
  const env = process.env;
  const log = EngineLog.forBoot(flags['log-to-stdout'] === true, env);
  const root = path.resolve(String(flags.root));
  const stage = flags.stage as StageName;
  log.info(`Kindling ${VERSION}`);
  log.info(`Stage: ${stage}`);
  if (root === '/' && !fs.existsSync(defaultPaths.initrdRelease)) {
    log.crit(`refusing to run the ${stage} stage on this machine's own root: ${defaultPaths.initrdRelease} is missing, so this is not an initramfs`);
    process.stderr.write('hint: pass --root DIR (and --device DEV for the disks stage) to provision another root\n');
    return 1;
  }
  const host = realHost({ log, runner: loggingRunner(log), paths: pathsFromEnv(env) });
  const outcome = await runStage({
    stage,
    platform: getProvider(String(flags.platform))!,
    root,
    configCache: String(flags['config-cache']),
    needNet: String(flags.neednet),
    stateFile: String(flags['state-file']),
    fetchTimeoutMs: parseGoDuration(String(flags['fetch-timeout']))!,
    log,
    host,
    env,
    cwd: process.cwd(),
    devices: flags.device as string[] | undefined,
    failureReport: String(flags['failure-report']),
  });
  return outcome.code;
}
