// The boot bundle's cold start under emulation: the test VM (initramfs/test-vm, Debian's kernel
// under QEMU TCG, the host's root over 9p) copies dist/kindling-boot.* into its RAM and times
// boot stages as separate processes, as an initramfs runs them: without the code cache, with it,
// and from a startup snapshot built in the guest; `node -e 0` is the baseline. A snapshot built
// on the host is tried once: V8 refuses it when the guest's CPU features differ. Variants run in
// turn within each round, so a host whose load changes slows them alike; the figures are medians
// over the rounds, and each variant's median ratio to the code-cache run of the same round.
//   npx tsx bench/boot-qemu.ts [ROUNDS]     (as root; `BENCH_QEMU=1 npm run bench` includes it)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInVm, vmUnavailable } from '../initramfs/test-vm/qemu.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const VARIANTS: Record<string, string> = {
  'node -e 0': 'node -e 0',
  'no code cache': 'node $W/nocache/kindling-boot.cjs',
  'code cache': 'node $W/cache/kindling-boot.cjs',
  snapshot: 'node --snapshot-blob $W/snapshot/kindling-boot.blob $W/snapshot/kindling-boot.cjs',
};
const STAGES = ['fetch-offline', 'fetch', 'files'];

/** The guest's job (stage 2 runs it with sh; the timing needs bash): `@@R round stage variant ms` lines. */
export function guestJob(rounds: number, hostBlob: string): string {
  return `cat > /run/kindling-bench.sh <<'KINDLING_BENCH_EOF'\n${guestScript(rounds, hostBlob)}KINDLING_BENCH_EOF\nexec bash /run/kindling-bench.sh\n`;
}

function guestScript(rounds: number, hostBlob: string): string {
  const dist = path.join(repo, 'dist');
  const variantCases = Object.entries(VARIANTS)
    .map(([name, cmd]) => `    run ${JSON.stringify(name)} "$stage" ${name === 'node -e 0' ? cmd : `${cmd} $(flags "$stage")`}`)
    .join('\n');
  return `set -u
W=/run/kindling-bench; mkdir -p $W/nocache $W/cache $W/snapshot $W/w/root $W/w/sys
cp ${dist}/kindling-boot.cjs $W/nocache/
cp ${dist}/kindling-boot.cjs ${dist}/kindling-boot.cache $W/cache/
cp ${dist}/kindling-boot.cjs ${dist}/kindling-boot.cache $W/snapshot/
cd $W; unset NODE_EXTRA_CA_CERTS NODE_OPTIONS
s=\${EPOCHREALTIME/./}; node --snapshot-blob $W/snapshot/kindling-boot.blob --build-snapshot $W/snapshot/kindling-boot.cjs > $W/build.txt 2>&1
echo "@@BUILT $? $(((\${EPOCHREALTIME/./} - s) / 1000)) $(stat -c %s $W/snapshot/kindling-boot.blob 2>/dev/null)"
node --snapshot-blob ${hostBlob} $W/snapshot/kindling-boot.cjs --version > $W/host.txt 2>&1
echo "@@HOSTBLOB $? $(head -c 200 $W/host.txt | tr '\\n' ' ')"
: > $W/w/sys/.keep
printf '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/motd","overwrite":true,"contents":{"source":"data:,hi"}}]}}' > $W/w/user.ign
node -e 'require("http").createServer((q, r) => r.end(require("fs").readFileSync("'$W'/w/user.ign"))).listen(8123, "127.0.0.1")' &
server=$!
printf 'ignition.config.url=http://127.0.0.1:8123/user.ign\\n' > $W/w/cmdline
export IGNITION_KERNEL_CMDLINE_PATH=$W/w/cmdline IGNITION_SYSTEM_CONFIG_DIR=$W/w/sys IGNITION_SYSTEM_RUNTIME_CONFIG_DIR=$W/w/sys IGNITION_SYSTEM_LOCAL_CONFIG_DIR=$W/w/sys
flags() { echo --platform metal --stage $1 --root $W/w/root --config-cache $W/w/config.json --neednet $W/w/neednet --state-file $W/w/state --failure-report $W/w/failure.json --log-to-stdout; }
run() {
  local name=$1 stage=$2; shift 2
  # fetch-offline starts from nothing; fetch needs the neednet flag and no cache; files needs both.
  case $stage in
    fetch-offline) rm -f $W/w/config.json $W/w/state $W/w/neednet ;;
    fetch) rm -f $W/w/config.json; : > $W/w/neednet ;;
    files) cp $W/w/fetched.json $W/w/config.json ;;
  esac
  local s=\${EPOCHREALTIME/./}; "$@" > $W/out.txt 2>&1; local rc=$?; local e=\${EPOCHREALTIME/./}
  [ $rc = 0 ] || { echo "@@FAIL $name $stage $rc"; tail -n 5 $W/out.txt; }
  [ $stage = fetch ] && [ $rc = 0 ] && cp $W/w/config.json $W/w/fetched.json
  echo "@@R $round $stage $name $(((e - s) / 1000))"
}
sleep 2
for round in $(seq 0 ${rounds}); do
  for stage in ${STAGES.join(' ')}; do
${variantCases}
  done
done
kill $server
`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchBootUnderQemu(rounds = Number(process.env.BENCH_QEMU_ROUNDS) || 8): Promise<Record<string, string>> {
  const why = vmUnavailable();
  if (why) throw new Error(`test VM unavailable: ${why}`);
  for (const f of ['kindling-boot.cjs', 'kindling-boot.cache']) {
    if (!fs.existsSync(path.join(repo, 'dist', f))) throw new Error(`dist/${f} missing: run npm run build`);
  }
  // A snapshot made here, for the host's CPU, to show what the guest does with it.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-bench-qemu-'));
  const hostBlob = path.join(tmp, 'host.blob');
  const built = spawnSync(process.execPath, ['--snapshot-blob', hostBlob, '--build-snapshot', path.join(repo, 'dist/kindling-boot.cjs')], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building a snapshot on the host failed: ${built.stderr}`);
  let r;
  try {
    r = await runInVm({ job: guestJob(rounds, hostBlob), timeoutMs: 40 * 60_000 });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (r.timedOut || r.exit !== 0) throw new Error(`guest failed (exit ${r.exit}${r.timedOut ? ', timed out' : ''}):\n${r.output.slice(-3000)}`);
  const failures = r.output.split('\n').filter((l) => l.startsWith('@@FAIL'));
  if (failures.length) throw new Error(`runs failed in the guest:\n${failures.join('\n')}\n${r.output.slice(-3000)}`);
  const ms = new Map<string, number>(); // "round stage variant" -> ms
  for (const m of r.output.matchAll(/^@@R (\d+) (\S+) (.+) (\d+)$/gm)) if (m[1] !== '0') ms.set(`${m[1]} ${m[2]} ${m[3]}`, Number(m[4]));
  const out: Record<string, string> = {};
  const snap = /^@@BUILT (\d+) (\d+) (\d*)$/m.exec(r.output);
  out['snapshot built in the guest'] =
    snap && snap[1] === '0' ? `in ${snap[2]} ms, ${(Number(snap[3]) / 1048576).toFixed(1)} MiB` : `failed: ${snap?.[1] ?? '?'}`;
  const host = /^@@HOSTBLOB (\d+) (.*)$/m.exec(r.output);
  out['snapshot built on the host, in the guest'] =
    host?.[1] === '14' ? 'refused (exit 14: other CPU features), so useless here' : `exit ${host?.[1] ?? '?'} ${host?.[2] ?? ''}`;
  for (const stage of STAGES) {
    for (const variant of Object.keys(VARIANTS)) {
      const own: number[] = [];
      const ratio: number[] = [];
      for (let round = 1; round <= rounds; round++) {
        const t = ms.get(`${round} ${stage} ${variant}`);
        const ref = ms.get(`${round} ${stage} code cache`);
        if (t === undefined || ref === undefined) continue;
        own.push(t);
        ratio.push(t / ref);
      }
      const rel = variant === 'code cache' ? '' : `, ${median(ratio).toFixed(2)}x the code cache's`;
      out[`${stage}: ${variant}`] = `${median(own)} ms (median of ${own.length}${rel})`;
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchBootUnderQemu(Number(process.argv[2]) || undefined).then(
    (res) => {
      for (const [k, v] of Object.entries(res)) console.log(`${k.padEnd(40)} ${v}`);
    },
    (e: Error) => {
      console.error(e.message);
      process.exitCode = 1;
    },
  );
}
