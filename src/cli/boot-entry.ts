// The boot bundle's entry (dist/kindling-boot.cjs): what an initramfs runs, without the rest of
// the CLI. It answers to the names Ignition's binaries have: `ignition` (and `kindling-boot`, or
// the bundle itself) runs a stage, `ignition-kargs-helper` edits kernel arguments. A first
// argument names a command explicitly: `boot`, `kargs-helper`, or `failure` (the failure report
// for the console, which the emergency hook prints).
import path from 'node:path';
import { runMain } from './run-main.js';
import { main as boot } from './boot.js';
import { main as failure } from './failure.js';
import { main as kargsHelper } from './kargs-helper.js';

async function main(argv: string[]): Promise<number> {
  const name = path.basename(process.argv[1] ?? '');
  if (name === 'ignition-kargs-helper') return kargsHelper(argv);
  if (argv[0] === 'kargs-helper') return kargsHelper(argv.slice(1));
  if (argv[0] === 'failure') return failure(argv.slice(1));
  if (argv[0] === 'boot') return boot(argv.slice(1));
  return boot(argv);
}

runMain(main);
