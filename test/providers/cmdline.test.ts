// The kernel command line source: a command line file (IGNITION_KERNEL_CMDLINE_PATH), URLs fetched
// for real (data:, http on 127.0.0.1), and ignition.config.device + path on a labelled ext4 image
// on a loop device (found through our by-label directory, or by blkid without one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NeedNetError } from '../../src/fetch/errors.js';
import { cmdline } from '../../src/providers/cmdline.js';
import { Drives, drivesUnavailable, leftoverMounts } from './drives.js';
import { makeCtx, outcome, routeServer, tmpDir, type CtxOptions, type MetadataServer } from './helpers.js';

const CONFIG = '{"ignition":{"version":"3.4.0"}}\n';
let dir: string;
let server: MetadataServer;
let n = 0;

beforeAll(async () => {
  dir = tmpDir('cmdline');
  server = await routeServer([{ method: 'GET', url: '/user.ign', responses: [{ status: 200, body: CONFIG }] }]);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the source over a command line held in a file, as IGNITION_KERNEL_CMDLINE_PATH names it. */
async function run(line: string, o: CtxOptions = {}) {
  const file = path.join(dir, `cmdline${n++}`);
  fs.writeFileSync(file, `BOOT_IMAGE=/vmlinuz root=UUID=1234 rw ignition.firstboot ignition.platform.id=metal ${line}\n`);
  const ctx = makeCtx({ ...o, env: { IGNITION_KERNEL_CMDLINE_PATH: file, ...o.env } });
  const r = await outcome(cmdline.fetch(ctx));
  return { ...r, config: r.value?.config === null ? null : r.value?.config.toString('utf8'), log: ctx.log.lines };
}

describe('ignition.config.url', () => {
  it('no key at all: null, the next source is asked', async () => {
    expect((await run('quiet')).value).toEqual({ config: null });
  });

  it('fetches data: and http URLs with the stage fetcher; the last key wins; empty values are absent', async () => {
    expect((await run(`ignition.config.url=data:,${encodeURIComponent(CONFIG)}`)).config).toBe(CONFIG);
    const r = await run(`ignition.config.url=data:,old ignition.config.url=${server.url}/user.ign ignition.config.url=`);
    expect(r.config).toBe(CONFIG);
    expect(r.log).toContain('INFO: ignition.config.url found but no value provided');
    expect(server.seen.map((s) => s.url)).toEqual(['/user.ign']);
  });

  it('needs the network in fetch-offline for http (NeedNetError), not for data:', async () => {
    expect((await run(`ignition.config.url=${server.url}/user.ign`, { offline: true })).error).toBeInstanceOf(NeedNetError);
    expect((await run('ignition.config.url=data:,%7B%7D', { offline: true })).config).toBe('{}');
  });

  it("fetch errors are the fetcher's", async () => {
    expect((await run(`ignition.config.url=${server.url}/missing.ign`)).error?.message).toBe('resource not found');
    expect((await run('ignition.config.url=ftp://example.test/x')).error?.message).toBe('unsupported source scheme');
  });

  it('wins over ignition.config.device and .path, with a warning', async () => {
    const r = await run('ignition.config.device=NOPE ignition.config.url=data:,%7B%7D ignition.config.path=/x');
    expect(r.config).toBe('{}');
    expect(r.log).toContain('WARNING: "ignition.config.url" takes precedence; ignoring "ignition.config.device" and "ignition.config.path"');
  });
});

describe('ignition.config.device and .path: argument errors', () => {
  it('one without the other is an error', async () => {
    const both = 'both "ignition.config.device" and "ignition.config.path" must be provided together';
    expect((await run('ignition.config.device=CFG')).error?.message).toBe(both);
    expect((await run('ignition.config.path=/config.ign')).error?.message).toBe(both);
    expect((await run('ignition.config.path=/config.ign ignition.config.device=')).error?.message).toBe(both);
  });

  it('a label must be one path component', async () => {
    expect((await run('ignition.config.device=../sda ignition.config.path=/c')).error?.message).toBe('invalid device label "../sda"');
    expect((await run('ignition.config.device=.. ignition.config.path=/c')).error?.message).toBe('invalid device label ".."');
  });

  it('an unreadable command line is an error', async () => {
    const ctx = makeCtx({ env: { IGNITION_KERNEL_CMDLINE_PATH: path.join(dir, 'absent') } });
    expect((await outcome(cmdline.fetch(ctx))).error?.message).toBe(`open ${path.join(dir, 'absent')}: no such file or directory`);
  });

  it('a device that never appears: the wait ends after 30 s (scaled) with Ignition error', async () => {
    const byLabel = path.join(dir, 'by-label-empty');
    fs.mkdirSync(byLabel);
    const t0 = Date.now();
    const r = await run('ignition.config.device=NEVER ignition.config.path=/c.ign', { seams: { byLabelDir: byLabel, waitScale: 0.01 } });
    expect(r.error?.message).toBe('device "NEVER" did not appear within timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });
});

const unavailable = drivesUnavailable(['ext4']);
if (unavailable) console.warn(`skipping the ignition.config.device tests: ${unavailable}`);

describe.skipIf(!!unavailable)('ignition.config.device and .path on a labelled loop image', () => {
  let drives: Drives;
  // labels of our own, so blkid cannot meet anyone else's device
  const label = `KT${process.pid.toString(36).toUpperCase()}`.slice(0, 16);
  beforeAll(() => {
    drives = new Drives();
    drives.link(label, drives.ext4(label, { 'ignition/config.ign': CONFIG, 'link.ign': { symlink: '/etc/passwd' } }));
  });
  afterAll(() => drives.cleanup());

  it('mounts the device read-only, reads the file, unmounts', async () => {
    const r = await run(`ignition.config.device=${label} ignition.config.path=/ignition/config.ign`, { seams: { byLabelDir: drives.byLabel } });
    expect(r.config).toBe(CONFIG);
    expect(r.log.some((l) => l.startsWith('INFO: mounting config drive: executing: ["mount","-o","ro","-t","auto",'))).toBe(true);
    expect(leftoverMounts()).toEqual([]);
  });

  it('the path is taken as absolute within the device, and may not lead outside it', async () => {
    expect(
      (await run(`ignition.config.device=${label} ignition.config.path=ignition/../ignition/config.ign`, { seams: { byLabelDir: drives.byLabel } })).config,
    ).toBe(CONFIG);
    expect(
      (await run(`ignition.config.device=${label} ignition.config.path=../../../ignition/config.ign`, { seams: { byLabelDir: drives.byLabel } })).config,
    ).toBe(CONFIG);
    expect((await run(`ignition.config.device=${label} ignition.config.path=/link.ign`, { seams: { byLabelDir: drives.byLabel } })).error?.message).toBe(
      '"/link.ign" on the config drive points outside it',
    );
    expect(leftoverMounts()).toEqual([]);
  });

  it('a file the device lacks is an error', async () => {
    const r = await run(`ignition.config.device=${label} ignition.config.path=/nope.ign`, { seams: { byLabelDir: drives.byLabel } });
    expect(r.error?.message).toBe(`config file "/nope.ign" not found on device "${label}"`);
    expect(leftoverMounts()).toEqual([]);
  });

  it('without udev (no by-label directory) blkid finds the label', async () => {
    const r = await run(`ignition.config.device=${label} ignition.config.path=/ignition/config.ign`, { seams: { byLabelDir: path.join(dir, 'no-udev') } });
    expect(r.config).toBe(CONFIG);
  });
});
