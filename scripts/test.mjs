// `npm test`: runs vitest in two phases and ends with one plain summary line,
// "tests: N passed, N failed, N skipped", that CI systems read. Exits non-zero if either fails.
//
// Why two phases: the QEMU guests (files named *.qemu.test.ts) keep a core busy for minutes under
// TCG, and several tests assert Ignition's retry timing against real servers. So every other file
// runs first, in parallel, and the guests run afterwards, one at a time. The interruption test
// (SIGKILL of large apply runs, issue 13 §3) loads both cores as much: it runs with the guests.
// Arguments (file filters, -t patterns) run as one phase instead.
//
// Why the fences: a test must never wait on something outside this run. As root, the suite runs in
// a network namespace of its own that has only loopback (no test may contact anything else, and
// none can then wait on a real network that answers differently from a missing one); stdin is
// closed; each phase runs in its own process group with a deadline, and whatever a phase leaves
// running (a daemon, a guest) is killed when it ends, so nothing can hold the run open.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const NETNS_ENV = 'KINDLING_TEST_NETNS';
const filters = process.argv.slice(2);

if (!process.env[NETNS_ENV] && process.getuid?.() === 0 && process.env.KINDLING_TEST_HOST_NETWORK !== '1') {
  // The probe makes a namespace and brings its loopback up, as the run will.
  const probe = spawnSync('unshare', ['--net', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.status === 0) {
    const r = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', process.execPath, ...process.argv.slice(1)], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, [NETNS_ENV]: '1' },
    });
    process.exit(r.status ?? 1);
  }
  console.log(
    `tests: running in the machine's own network namespace (unshare --net with ip: ${(probe.stderr || String(probe.error ?? '')).trim() || `exit ${probe.status}`})`,
  );
}

const MINUTE = 60_000;
const phases = filters.length
  ? [{ name: 'all', args: filters, deadline: 45 * MINUTE }]
  : [
      { name: 'host', args: ['--exclude', '**/*.qemu.test.ts', '--exclude', '**/interrupt.loop.test.ts'], deadline: 15 * MINUTE },
      // Filters (substrings of the path) that select the heavy files only.
      { name: 'heavy', args: ['--no-file-parallelism', '--passWithNoTests', '.qemu.test.ts', 'interrupt.loop.test.ts'], deadline: 25 * MINUTE },
    ];

/**
 * Kills every process whose environment carries `marker` (so also a daemon that left the phase's
 * process group with setsid) and returns their command lines.
 */
function sweep(marker) {
  const left = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker)) continue;
      left.push(readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim());
      process.kill(Number(pid), 'SIGKILL');
    } catch {}
  }
  return left;
}

/** Runs one vitest phase in its own process group; past the deadline, or once it exits, the group goes, and so does whatever the phase started. */
function runPhase(p, out) {
  return new Promise((resolve) => {
    const marker = `KINDLING_TEST_PHASE=${process.pid}-${p.name}`;
    const child = spawn(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...p.args],
      { stdio: ['ignore', 'inherit', 'inherit'], detached: true, env: { ...process.env, KINDLING_TEST_PHASE: marker.split('=')[1] } },
    );
    const killGroup = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      const left = sweep(marker);
      if (left.length) console.error(`tests: phase "${p.name}" left ${left.length} process(es) running, now stopped:\n  ${left.join('\n  ')}`);
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`tests: phase "${p.name}" ran past its deadline of ${p.deadline / MINUTE} min; stopping it`);
      killGroup();
    }, p.deadline);
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve(timedOut ? 124 : (code ?? 1));
    });
  });
}

/**
 * The machine's own naming files. A test must never change them: NetworkManager under test once
 * wrote its DNS servers into /etc/resolv.conf, and every name lookup on the machine failed from
 * then on (npm's registry included, in the next CI run on that machine). After each phase a
 * changed file is put back and the run fails, naming it.
 */
const GUARDED = ['/etc/resolv.conf', '/etc/hosts', '/etc/hostname'];
function machineState() {
  const files = GUARDED.map((file) => {
    try {
      const st = lstatSync(file);
      if (st.isSymbolicLink()) return { file, link: readlinkSync(file) };
      return { file, text: readFileSync(file, 'latin1'), mode: st.mode & 0o7777 };
    } catch {
      return { file };
    }
  });
  return { files, hostname: hostname() };
}
function restoreMachine(before) {
  const changed = [];
  const now = machineState();
  before.files.forEach((b, i) => {
    const n = now.files[i];
    if (b.link === n.link && b.text === n.text && b.mode === n.mode) return;
    changed.push(b.file);
    try {
      // A file is rewritten in place; anything else is removed and made again as it was.
      if (!(b.text !== undefined && n.text !== undefined) && (n.text !== undefined || n.link !== undefined)) unlinkSync(b.file);
      if (b.link !== undefined) symlinkSync(b.link, b.file);
      else if (b.text !== undefined) {
        writeFileSync(b.file, b.text, 'latin1');
        chmodSync(b.file, b.mode);
      }
    } catch (e) {
      changed.push(`(could not restore ${b.file}: ${e.message})`);
    }
  });
  if (now.hostname !== before.hostname) changed.push(`the hostname (${before.hostname} became ${now.hostname}; not restored)`);
  return changed;
}
const machineBefore = machineState();

const totals = { passed: 0, failed: 0, skipped: 0, ran: 0 };
let status = 0;
for (const p of phases) {
  const out = join(tmpdir(), `kindling-vitest-${process.pid}-${p.name}.json`);
  const t0 = Date.now();
  const code = await runPhase(p, out);
  console.log(`tests: phase "${p.name}" took ${Math.round((Date.now() - t0) / 1000)} s (exit ${code})`);
  if (code !== 0) status = code;
  const changed = restoreMachine(machineBefore);
  if (changed.length) {
    console.error(`tests: phase "${p.name}" changed the machine's ${changed.join(', ')}; put back. A test must leave the machine as it found it.`);
    totals.failed += 1;
    status ||= 1;
  }
  try {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += j.numPassedTests;
    totals.failed += j.numFailedTests;
    totals.skipped += j.numPendingTests + j.numTodoTests;
    totals.ran += j.numTotalTests;
  } catch {
    totals.failed += code === 0 ? 0 : 1;
  } finally {
    rmSync(out, { force: true });
  }
}
let summary = `tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
if (totals.ran === 0) summary += ' (no test ran)';
console.log(summary);
process.exit(status);
