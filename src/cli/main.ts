// kindling: command dispatch. Each command lives in its own module and is imported only when used,
// so a cold `kindling transpile` pays for nothing but the transpiler.
import * as path from 'node:path';
import { runMain } from './run-main.js';
import { PRODUCT_VERSION } from '../model/product.js';

const commands: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  validate: () => import('./validate.js'),
  transpile: () => import('./transpile.js'),
  apply: () => import('./apply.js'),
  boot: () => import('./boot.js'),
  'kargs-helper': () => import('./kargs-helper.js'),
};

const USAGE = `usage: kindling <command> [options]

commands:
  validate [FILE|-]      check an Ignition config (or Butane YAML) like ignition-validate
  transpile [FILE|-]     translate Butane YAML into Ignition JSON
  apply --root DIR CFG   apply files, directories, links, units, users and groups to DIR
  boot --platform ID --stage STAGE
                         run one first-boot stage, as Ignition's stage command (also as \`ignition\`)
  kargs-helper --should-exist A --should-not-exist B
                         edit the kernel arguments of the boot loader entries (ignition-kargs-helper)
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

runMain(main);
