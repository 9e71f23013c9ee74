// kindling plan [--platform ID] CONFIG: the newcomer's view of a config. Checks it (Butane YAML is
// transpiled, every problem shown at its line), then prints what a first boot would do, stage by
// stage, without touching anything.
import path from 'node:path';
import { formatPath } from '../diag/diagnostic.js';
import { renderPretty } from '../diag/render.js';
import { yamlWhere } from '../engine/report.js';
import { realHost } from '../host/host.js';
import { loadConfig, type LoadResult } from '../input/load.js';
import { isPlatformId, platformIds } from '../providers/platforms.js';
import { previewFirstBoot, SYSROOT } from '../preview/first-boot.js';
import { readCommandLine, usageError, type CommandSpec } from './args.js';
import { readInput } from './input.js';

const SPEC = {
  name: 'plan',
  operands: 'CONFIG|-',
  summary:
    'Check a config (Ignition JSON or Butane YAML) and print what a first boot would do with it,\n' +
    `stage by stage, as the initramfs runs them (target root ${SYSROOT}). Nothing is fetched, probed or\nchanged.`,
  maxOperands: 1,
  flags: {
    platform: { value: 'ID', help: 'the platform the boot would run on (default metal)' },
    'files-dir': { short: 'd', value: 'DIR', help: "where Butane local files are (default: the config's directory)" },
  },
} as const satisfies CommandSpec;

export async function main(argv: string[]): Promise<number> {
  const cl = readCommandLine(SPEC, argv);
  if (typeof cl === 'number') return cl;
  if (cl.operands.length !== 1) return usageError(SPEC, 'one config file (or - for stdin) is required');
  const platform = cl.values.platform ?? 'metal';
  if (!isPlatformId(platform)) return usageError(SPEC, `"${platform}" is not a known platform (known: ${platformIds().join(', ')})`);
  const file = cl.operands[0];
  const input = readInput(file);
  if ('error' in input) {
    process.stderr.write(`kindling plan: ${input.error}\n`);
    return 1;
  }
  const shown = input.name;
  const filesDir = cl.values['files-dir'] ?? (file === '-' ? undefined : path.dirname(file));
  const loaded = await loadConfig(input.bytes, { file: shown, filesDir, output: false });
  // The plan goes out in one write when it is complete: a write a line was a system call a line.
  const text: string[] = [];
  try {
    return await printPlan(loaded, shown, platform, { write: (s) => void text.push(s) });
  } finally {
    process.stdout.write(text.join(''));
  }
}

async function printPlan(loaded: LoadResult, shown: string, platform: string, out: { write(s: string): void }): Promise<number> {
  const color = !process.env.NO_COLOR && process.stdout.isTTY === true;
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
  if (loaded.diagnostics.length) out.write(renderPretty(loaded.diagnostics, new Map([[shown, loaded.text]]), { color }) + '\n');
  if (!loaded.config) {
    out.write(`${shown}: not a valid config; a first boot would stop in fetch-offline\n`);
    return 1;
  }
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  const what = loaded.format === 'butane' ? `Butane YAML, transpiled to Ignition ${loaded.version ?? ''}` : `Ignition ${loaded.version ?? ''}`;
  out.write(`${bold(shown)}: valid ${what}${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n\n`);
  out.write(`A first boot with it (kernel arguments: ignition.firstboot ignition.platform.id=${platform}):\n`);

  const merges = loaded.config.ignition.config;
  if (merges?.replace?.source || merges?.merge?.length) out.write('  (it merges or replaces other configs at boot; the plan covers this one only)\n');

  let errors = 0;
  for (const s of await previewFirstBoot(loaded.config, { host: realHost() })) {
    out.write(`\n${bold(s.stage.padEnd(13))} ${s.summary}\n`);
    s.steps.forEach((step, i) => {
      const where = step.configPath ? `  [${formatPath(step.configPath)}${yamlWhere(step.configPath, loaded.sourceOf)}]` : '';
      out.write(`  ${String(i + 1).padStart(3)}. ${step.text}${where}\n`);
    });
    for (const e of s.errors) out.write(`  error: ${e.configPath ? `${formatPath(e.configPath)}: ` : ''}${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}\n`);
    errors += s.errors.length;
  }
  out.write(`\n${errors ? `${errors} problem(s) would stop the boot` : 'Then the initramfs switches to the new root.'}\n`);
  return errors ? 1 : 0;
}
