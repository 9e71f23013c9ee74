// The boot bundle's entry (dist/kindling-boot.cjs): `kindling boot` and the kargs helper, the two
// programs an initramfs runs, without the rest of the CLI. It answers to the names Ignition's
// binaries have: `ignition` (and `kindling-boot`, or the bundle itself) runs a stage, and
// `ignition-kargs-helper` edits kernel arguments. `kindling-boot.cjs kargs-helper ...` and
// `kindling-boot.cjs boot ...` name the command explicitly.
import * as path from 'node:path';
import { runMain } from './run-main.js';
import { main as boot } from './boot.js';

async function main(argv: string[]): Promise<number> {
  const name = path.basename(process.argv[1] ?? '');
  if (name === 'ignition-kargs-helper') return (await import('./kargs-helper.js')).main(argv);
  if (argv[0] === 'kargs-helper') return (await import('./kargs-helper.js')).main(argv.slice(1));
  if (argv[0] === 'boot') return boot(argv.slice(1));
  return boot(argv);
}

runMain(main);
