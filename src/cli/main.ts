// kindling: command dispatch. Each command lives in its own module and is imported only when used,
// so a cold `kindling transpile` pays for nothing but the transpiler.
import path from 'node:path';
import { PRODUCT_VERSION } from '../model/product.js';
import { runMain } from './run-main.js';

interface Command {
  summary: string;
  load: () => Promise<{ main(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  validate: { summary: 'check an Ignition config (or Butane YAML) like ignition-validate', load: () => import('./validate.js') },
  lint: { summary: 'check Butane and Ignition configs (files, directories, globs) for editors and CI', load: () => import('./lint.js') },
  lsp: { summary: "a Language Server (stdio) publishing kindling lint's diagnostics to editors", load: () => import('./lsp.js') },
  transpile: { summary: 'translate Butane YAML into Ignition JSON', load: () => import('./transpile.js') },
  decompile: { summary: 'write an Ignition config back as Butane YAML that transpiles to it', load: () => import('./decompile.js') },
  apply: { summary: 'apply a config (files, directories, links, units, users, disks) to a root directory', load: () => import('./apply.js') },
  boot: { summary: "run one first-boot stage, as Ignition's stage command (also as `ignition`)", load: () => import('./boot.js') },
  'kargs-helper': { summary: 'edit the kernel arguments of the boot loader entries (ignition-kargs-helper)', load: () => import('./kargs-helper.js') },
  plan: { summary: 'check a config and show what a first boot would do with it', load: () => import('./plan.js') },
  initrd: { summary: 'put a config into an initrd for PXE boot (wrap), or read it back (unwrap)', load: () => import('./initrd.js') },
  embed: { summary: "write a config to a disk image's boot filesystem or a live ISO (--show, --remove)", load: () => import('./embed.js') },
  karg: { summary: 'print a config as an ignition.config.url=data:... kernel argument', load: () => import('./karg.js') },
  failure: { summary: "print a first boot's failure report (/run/kindling/failure.json)", load: () => import('./failure.js') },
};

/** Made when shown: a command's run has no use for it. */
const usage = () => `usage: kindling <command> [options] [arguments]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`)
  .join('\n')}
  help CMD      show the options of a command (also: kindling CMD --help)

options:
  -h, --help      show this help
  -V, --version   print the version
`;

/** Invoked through a symlink named like one of Ignition's binaries, act as that binary. */
const AS_NAME: Record<string, string> = { ignition: 'boot', 'ignition-kargs-helper': 'kargs-helper' };

async function main(argv: string[]): Promise<number> {
  const as = AS_NAME[path.basename(process.argv[1] ?? '')];
  if (as) return (await commands[as].load()).main(argv);
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    process.stdout.write(`kindling ${PRODUCT_VERSION}\n`);
    return 0;
  }
  if (cmd === undefined) {
    process.stderr.write(usage());
    return 2;
  }
  if (cmd === '-h' || cmd === '--help' || (cmd === 'help' && rest.length === 0)) {
    process.stdout.write(usage());
    return 0;
  }
  if (cmd === 'help') {
    const c = commands[rest[0]];
    if (!c || rest.length > 1) return unknownCommand(rest.join(' '));
    return (await c.load()).main(['--help']);
  }
  const c = commands[cmd];
  if (!c) return unknownCommand(cmd);
  return (await c.load()).main(rest);
}

function unknownCommand(cmd: string): number {
  process.stderr.write(`kindling: unknown command "${cmd}"\n${usage()}`);
  return 2;
}

runMain(main);
