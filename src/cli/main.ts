// kindling: command dispatch. Each command lives in its own module and is imported only when used,
// so a cold `kindling transpile` pays for nothing but the transpiler.
import * as path from 'node:path';
import { PRODUCT_VERSION } from '../model/product.js';

const commands: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  validate: () => import('./validate.js'),
  transpile: () => import('./transpile.js'),
  apply: () => import('./apply.js'),
  boot: () => import('./boot.js'),
  'kargs-helper': () => import('./kargs-helper.js'),
  initrd: () => import('./initrd.js'),
  embed: () => import('./embed.js'),
  karg: () => import('./karg.js'),
  failure: () => import('./failure.js'),
  plan: () => import('./plan.js'),
};

const USAGE = `usage: kindling <command> [options]

commands:
  plan CONFIG            check a config and show what a first boot would do with it
  validate [FILE|-]      check an Ignition config (or Butane YAML) like ignition-validate
  transpile [FILE|-]     translate Butane YAML into Ignition JSON
  apply --root DIR CFG   apply files, directories, links, units, users and groups to DIR
  boot --platform ID --stage STAGE
                         run one first-boot stage, as Ignition's stage command (also as \`ignition\`)
  kargs-helper --should-exist A --should-not-exist B
                         edit the kernel arguments of the boot loader entries (ignition-kargs-helper)
  initrd wrap|unwrap     put a config into an initrd for PXE boot, or read it back
  embed --config CFG X   write a config onto a disk image's boot filesystem (or a live ISO)
  karg CFG               print the config as an ignition.config.url=data:... kernel argument
  failure [FILE]         print a first boot's failure report (/run/kindling/failure.json)
`;

/** Invoked through a symlink named like one of Ignition's binaries, act as that binary. */
const AS_NAME: Record<string, string> = { ignition: 'boot', 'ignition-kargs-helper': 'kargs-helper' };

async function main(argv: string[]): Promise<number> {
  const as = AS_NAME[path.basename(process.argv[1] ?? '')];
  if (as) return (await commands[as]()).main(argv);
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === 'version') {
    process.stdout.write(`kindling ${PRODUCT_VERSION}\n`);
    return 0;
  }
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = commands[cmd];
  if (!load) {
    process.stderr.write(`kindling: unknown command "${cmd}"\n${USAGE}`);
    return 2;
  }
  return (await load()).main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kindling: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
