// The executor against memfs with a fake command runner: the same plan the real host runs, with
// every file operation landing in memory and every command recorded instead of run.
import { Volume, createFsFromVolume } from 'memfs';
import { describe, expect, it } from 'vitest';
import type * as NodeFs from 'node:fs';
import { executePlan } from '../../../src/stages/files/execute.js';
import type { ResourceFetcher } from '../../../src/fetch/resource-fetcher.js';
import { decodeDataUrl } from '../../../src/config/url.js';
import { fsRootView } from '../../../src/stages/files/rootview.js';
import type { Config } from '../../../src/generated/types.js';
import type { Host } from '../../../src/host/host.js';
import { defaultPaths, defaultTools } from '../../../src/host/tools.js';
import { planFilesStage } from '../../../src/stages/files/plan/plan.js';

function memHost(files: Record<string, string>) {
  const vol = Volume.fromJSON(files);
  const fs = createFsFromVolume(vol) as unknown as typeof NodeFs;
  const ran: string[][] = [];
  const host: Host = {
    fs,
    tools: defaultTools,
    paths: defaultPaths,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    // `systemctl is-enabled` says "enabled" for old.service only.
    run: async (argv) => {
      ran.push(argv);
      const enabled = argv.includes('is-enabled') && argv.at(-1) === 'old.service';
      return { code: argv.includes('is-enabled') && !enabled ? 1 : 0, stdout: '', stderr: '' };
    },
  };
  const fetcher: ResourceFetcher = {
    toFile: async (res, path) => void fs.writeFileSync(path, decodeDataUrl(res.source ?? '').data),
    toBuffer: async (res) => decodeDataUrl(res.source ?? '').data,
    close: async () => {},
  };
  return { vol, fs, host, fetcher, ran };
}

const config: Config = {
  ignition: { version: '3.6.0' },
  storage: {
    files: [
      { path: '/etc/motd', mode: 0o640, contents: { source: 'data:,hello' } },
      { path: '/etc/profile.d/x.sh', append: [{ source: 'data:,a' }, { source: 'data:,b' }] },
    ],
    directories: [{ path: '/srv/data', mode: 0o750 }],
    links: [{ path: '/etc/localtime', target: '../usr/share/zoneinfo/UTC' }],
  },
  systemd: {
    units: [
      { name: 'app.service', enabled: true, contents: '[Install]\nWantedBy=multi-user.target\n' },
      { name: 'old.service', enabled: false },
      { name: 'gone.service', enabled: false },
      { name: 'bad.service', mask: true },
    ],
  },
};

describe('executePlan on memfs', () => {
  it('writes entries, units and presets, and asks systemctl only what it must', async () => {
    const m = memHost({ '/R/etc/.keep': '' });
    const plan = planFilesStage(config, fsRootView(m.fs, '/R'), { root: '/R', mode: 'apply' });
    expect(plan.errors).toEqual([]);
    await executePlan(plan, { root: '/R', host: m.host, fetcher: m.fetcher });

    expect(m.fs.readFileSync('/R/etc/motd', 'utf8')).toBe('hello');
    expect(m.fs.statSync('/R/etc/motd').mode & 0o7777).toBe(0o640);
    expect(m.fs.readFileSync('/R/etc/profile.d/x.sh', 'utf8')).toBe('ab');
    expect(m.fs.statSync('/R/srv/data').mode & 0o7777).toBe(0o750);
    expect(m.fs.readlinkSync('/R/etc/localtime')).toBe('../usr/share/zoneinfo/UTC');
    expect(m.fs.readlinkSync('/R/etc/systemd/system/bad.service')).toBe('/dev/null');
    expect(m.fs.readFileSync('/R/etc/systemd/system/app.service', 'utf8')).toContain('WantedBy');
    expect(m.fs.readFileSync('/R/etc/systemd/system-preset/20-ignition.preset', 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'disable old.service',
      'enable app.service',
    ]);
    // disabling asks first and only disables what is enabled
    expect(m.ran).toContainEqual(['systemctl', '--root', '/R', 'is-enabled', 'old.service']);
    expect(m.ran).toContainEqual(['systemctl', '--root', '/R', 'disable', 'old.service']);
    expect(m.ran).not.toContainEqual(['systemctl', '--root', '/R', 'disable', 'gone.service']);
  });

  it('a second run (as after an interruption) adds no preset line twice', async () => {
    const m = memHost({ '/R/etc/.keep': '' });
    const units: Config = { ignition: config.ignition, systemd: config.systemd };
    for (let run = 0; run < 2; run++) {
      const plan = planFilesStage(units, fsRootView(m.fs, '/R'), { root: '/R', mode: 'apply' });
      await executePlan(plan, { root: '/R', host: m.host, fetcher: m.fetcher });
    }
    expect(m.fs.readFileSync('/R/etc/systemd/system-preset/20-ignition.preset', 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'disable old.service',
      'enable app.service',
    ]);
  });

  it('leaves no temp files behind and refuses to replace a file without overwrite', async () => {
    const m = memHost({ '/R/etc/motd': 'old' });
    const plan = planFilesStage(config, fsRootView(m.fs, '/R'), { root: '/R', mode: 'apply' });
    expect(plan.errors.map((e) => e.message)).toEqual(['error creating file "/etc/motd": A file exists there already and overwrite is false']);
    await expect(executePlan(plan, { root: '/R', host: m.host, fetcher: m.fetcher })).rejects.toThrow(/overwrite is false/);
    expect(m.fs.readFileSync('/R/etc/motd', 'utf8')).toBe('old');
    expect(Object.keys(m.vol.toJSON()).filter((p) => !p.startsWith('/R/etc/motd'))).toEqual([]);
  });
});
