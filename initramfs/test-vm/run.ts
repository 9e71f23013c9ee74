// Manual entry point: run a shell command as root inside the test VM, console streamed here.
//   npx tsx initramfs/test-vm/run.ts 'cat /proc/mdstat; cd /work/main && KINDLING_IN_VM=1 npx vitest run test/disks/vm'
// Exits with the command's status (125 when the guest never reported one).
import { runInVm, vmUnavailable } from './qemu.js';

const why = vmUnavailable();
if (why) {
  process.stderr.write(`test VM unavailable: ${why}\n`);
  process.exit(125);
}
const job = process.argv.slice(2).join(' ') || 'uname -r; cat /proc/mdstat; grep device-mapper /proc/misc';
runInVm({ job: `${job}\n`, timeoutMs: 15 * 60_000, onOutput: (s) => process.stdout.write(s) }).then((r) => {
  process.stderr.write(`\ntest VM: ready after ${r.bootSeconds ?? '?'} s, ${(r.wallMs / 1000).toFixed(1)} s wall${r.timedOut ? ', timed out' : ''}\n`);
  process.exit(r.exit ?? 125);
});
