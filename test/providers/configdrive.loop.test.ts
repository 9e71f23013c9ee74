// The disk-based providers against real config drives: vfat, ISO 9660 and UDF images on loop
// devices, found by label (our by-label directory, or blkid as without udev), mounted read-only
// and always unmounted. Needs root, loop devices and a kernel that mounts vfat/iso9660/udf: CI's
// host kernel cannot, so test/disks/guest.qemu.test.ts runs this file inside the test VM as well.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getProvider } from '../../src/providers/registry.js';
import { Drives, drivesUnavailable, leftoverMounts } from './drives.js';
import { makeCtx, outcome, routeServer, type CtxOptions, type MetadataServer } from './helpers.js';

const CONFIG = '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/prov-test","contents":{"source":"data:,hello"}}]}}\n';
const OTHER = '{"ignition":{"version":"3.0.0"}}';
const OS_FILE = 'openstack/latest/user_data';

const unavailable = drivesUnavailable(['vfat', 'iso9660', 'udf']);
if (unavailable && process.env.KINDLING_IN_VM === '1') throw new Error(`KINDLING_IN_VM=1 but config drives cannot be tested: ${unavailable}`);
if (unavailable) console.warn(`skipping the config-drive tests on this host: ${unavailable}`);

describe.skipIf(!!unavailable)('config drives on loop devices', () => {
  let drives: Drives;
  let meta: MetadataServer;
  let imds: MetadataServer;
  /** The drives, made once (mkfs and xorriso are slow under the test VM's emulation). */
  const d: Record<string, string> = {};
  const tmpBefore = new Set<string>();
  const ours = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('kindling-configdrive-') && !tmpBefore.has(f));

  beforeAll(async () => {
    for (const f of fs.readdirSync(os.tmpdir())) tmpBefore.add(f);
    // a metadata service that never answers well, so drives decide the openstack/cloudstack races
    meta = await routeServer([{ method: 'GET', url: '/openstack/latest/user_data', responses: [{ status: 500 }] }]);
    imds = await routeServer([
      { method: 'GET', url: '/metadata/instance/compute/userData?api-version=2021-01-01&format=text', responses: [{ status: 200, body: '' }] },
    ]);
    drives = new Drives();
    d.isoConfig2 = drives.iso('config-2', { [OS_FILE]: CONFIG, 'openstack/latest/meta_data.json': '{}', 'cloudstack/userdata/user_data.txt': CONFIG });
    d.isoConfig2Empty = drives.iso('config-2', { 'openstack/latest/meta_data.json': '{}' });
    d.isoConfig2Escape = drives.iso('config-2', { [OS_FILE]: { symlink: '/etc/hostname' } });
    d.vfatConfig2 = drives.vfat('CONFIG-2', { [OS_FILE]: OTHER, 'cloudstack/userdata/user_data.txt': OTHER });
    d.vfatCidata = drives.vfat('cidata', { 'user-data': CONFIG, 'meta-data': 'instance-id: x\n' });
    d.isoCidataVendor = drives.iso('cidata', { 'user-data': '#cloud-config\nusers: []\n', 'vendor-data': CONFIG });
    d.isoCidataNone = drives.iso('cidata', { 'user-data': '', 'vendor-data': '#cloud-config\n' });
    d.udfDisk = drives.udf('NOTACD', { 'ovf-env.xml': '<Environment/>', 'CustomData.bin': OTHER });
    d.udfCd = drives.udf('OVFCD', { 'ovf-env.xml': '<Environment/>', 'CustomData.bin': CONFIG });
    d.isoOvfNoData = drives.iso('OVF', { 'ovf-env.xml': '<Environment/>' });
    d.isoNotOvf = drives.iso('NOTOVF', { README: 'not a provisioning disc' });
    d.blank = drives.blank();
  });
  afterAll(async () => {
    await meta.close();
    await imds.close();
    drives.cleanup();
  });
  afterEach(() => {
    // every provider call unmounts and removes its mount point, whatever happened
    expect(leftoverMounts()).toEqual([]);
    expect(ours()).toEqual([]);
    drives.unlinkAll();
  });

  const ctx = (o: CtxOptions = {}) =>
    makeCtx({
      fetchTimeoutMs: 60_000,
      ...o,
      seams: { byLabelDir: drives.byLabel, sysRoot: drives.sys, metadataOrigin: meta.url, ipv6Interfaces: [], waitScale: 0.01, ...o.seams },
    });
  const fetch = async (id: string, o: CtxOptions = {}) => {
    const r = await getProvider(id)!.fetch(ctx(o));
    return r.config === null ? null : r.config.toString('utf8');
  };
  const relink = (label: string, dev: string) => {
    fs.rmSync(path.join(drives.byLabel, label), { force: true });
    drives.link(label, dev);
  };

  it('openstack: the config-2 ISO drive wins over a failing metadata service', async () => {
    drives.link('config-2', d.isoConfig2);
    const t0 = Date.now();
    expect(await fetch('openstack')).toBe(CONFIG);
    expect(Date.now() - t0).toBeLessThan(30_000); // the metadata retries (60 s allowed) were cancelled
    expect(meta.seen.length).toBeGreaterThan(0);
  });

  it('brightbox: a CONFIG-2 vfat drive that appears late', async () => {
    setTimeout(() => drives.link('CONFIG-2', d.vfatConfig2), 150);
    const c = ctx();
    expect((await getProvider('brightbox')!.fetch(c)).config!.toString()).toBe(OTHER);
    expect(c.log.lines).toContain('DEBUG: config drive ("CONFIG-2") not found. Waiting...');
    expect(c.log.lines.some((l) => /^INFO: mounting config drive: executing: \["mount","-o","ro","-t","auto",".*CONFIG-2",/.test(l))).toBe(true);
  });

  it('openstack: a drive without user_data means no config', async () => {
    drives.link('config-2', d.isoConfig2Empty);
    expect(await fetch('openstack')).toBeNull();
  });

  it('cloudstack: user_data.txt on a config-2 drive (ISO, then vfat), while no DHCP lease exists', async () => {
    const leases = path.join(drives.dir, 'nolease');
    fs.mkdirSync(leases, { recursive: true });
    drives.link('config-2', d.isoConfig2);
    expect(await fetch('cloudstack', { seams: { leaseDir: leases } })).toBe(CONFIG);
    drives.unlinkAll();
    drives.link('CONFIG-2', d.vfatConfig2);
    expect(await fetch('cloudstack', { seams: { leaseDir: leases } })).toBe(OTHER);
  });

  it('kubevirt: NoCloud cidata or ConfigDrive config-2, whichever appears', async () => {
    drives.link('cidata', d.vfatCidata);
    expect(await fetch('kubevirt', { offline: true })).toBe(CONFIG);
    drives.unlinkAll();
    drives.link('config-2', d.vfatConfig2);
    expect(await fetch('kubevirt')).toBe(OTHER);
  });

  it('nutanix (ISO) and powervs (vfat, late): config-2, offline too', async () => {
    drives.link('config-2', d.isoConfig2);
    expect(await fetch('nutanix', { offline: true })).toBe(CONFIG);
    drives.unlinkAll();
    setTimeout(() => drives.link('config-2', d.vfatConfig2), 100);
    expect(await fetch('powervs', { offline: true })).toBe(OTHER);
  });

  it('ibmcloud: cidata /user-data; no drive within 30 s (scaled) = no config', async () => {
    drives.link('cidata', d.vfatCidata);
    expect(await fetch('ibmcloud')).toBe(CONFIG);
    drives.unlinkAll();
    const c = ctx();
    const t0 = Date.now();
    expect((await getProvider('ibmcloud')!.fetch(c)).config).toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(c.log.lines).toContain('ERROR: timed out while fetching config from config drive (cidata)');
    expect(c.log.lines).toContain('INFO: cidata drive was not available in time. Continuing without a config...');
  });

  it('proxmoxve: skips #cloud-config and empty files, takes vendor-data after user-data', async () => {
    drives.link('cidata', d.isoCidataVendor);
    expect(await fetch('proxmoxve')).toBe(CONFIG);
    relink('cidata', d.isoCidataNone);
    expect(await fetch('proxmoxve')).toBeNull();
  });

  it('azure: empty IMDS user data, then CustomData.bin of the UDF CD-ROM; a UDF disk that is no CD-ROM is never read', async () => {
    drives.scsiType(d.udfDisk, 0);
    drives.scsiType(d.udfCd, 5);
    const c = ctx({ seams: { metadataOrigin: imds.url } });
    expect((await getProvider('azure')!.fetch(c)).config!.toString()).toBe(CONFIG);
    expect(c.log.lines).toContain('INFO: config has been read from custom data');
    expect(c.log.lines.some((l) => l.includes(`"${d.udfDisk}"`) && l.includes('mount'))).toBe(false);
  });

  it('azurestack: an ISO 9660 disc without CustomData.bin = no config', async () => {
    drives.scsiType(d.isoOvfNoData, 5);
    expect(await fetch('azurestack', { offline: true })).toBeNull();
  });

  it('azurestack: a CD without ovf-env.xml is read once, skipped, and the poll goes on', async () => {
    drives.scsiType(d.isoNotOvf, 5);
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stage timeout')), 1500);
    const c = ctx({ signal: abort.signal });
    const r = await outcome(getProvider('azurestack')!.fetch(c));
    expect(r.error?.name).toBe('WaitAborted');
    expect(c.log.lines.filter((l) => l.includes('does not appear to be a config drive'))).toHaveLength(1);
  });

  it('a drive that does not mount is an error, and nothing stays mounted', async () => {
    drives.link('config-2', d.blank);
    const r = await outcome(getProvider('nutanix')!.fetch(ctx()));
    expect(r.error?.message).toMatch(/^exit status \d+: Cmd: "mount" "-o" "ro" "-t" "auto" /);
  });

  it('a symlink on the drive may not lead outside it', async () => {
    drives.link('config-2', d.isoConfig2Escape);
    const r = await outcome(getProvider('nutanix')!.fetch(ctx()));
    expect(r.error?.message).toBe('"/openstack/latest/user_data" on the config drive points outside it');
  });

  // last: it needs the only cidata drive of the machine, since blkid looks at all of them
  it('without a by-label directory (no udev), blkid finds the label', async () => {
    drives.detachAll();
    drives.iso('cidata', { 'user-data': CONFIG });
    expect(await fetch('kubevirt', { seams: { byLabelDir: path.join(drives.dir, 'no-udev') } })).toBe(CONFIG);
  });
});
