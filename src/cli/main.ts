// kindling: command dispatch. Each command lives in its own module and is imported only when used,
// so a cold `kindling transpile` pays for nothing but the transpiler.
const commands: Record<string, () => Promise<{ main(argv: string[]): Promise<number> }>> = {
  validate: () => import('./validate.js'),
  transpile: () => import('./transpile.js'),
  apply: () => import('./apply.js'),
  initrd: () => import('./initrd.js'),
  embed: () => import('./embed.js'),
  karg: () => import('./karg.js'),
};

const USAGE = `usage: kindling <command> [options]

commands:
  validate [FILE|-]      check an Ignition config (or Butane YAML) like ignition-validate
  transpile [FILE|-]     translate Butane YAML into Ignition JSON
  apply --root DIR CFG   apply files, directories, links, units, users and groups to DIR
  initrd wrap|unwrap     put a config into an initrd for PXE boot, or read it back
  embed --config CFG X   write a config onto a disk image's boot filesystem (or a live ISO)
  karg CFG               print the config as an ignition.config.url=data:... kernel argument
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === 'version') {
    process.stdout.write('kindling 0.1.0\n');
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
