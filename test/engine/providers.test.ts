// The engine with real platform providers, in-process (the seams reach providers only this way):
// fetch-offline signals the network for a metadata service, fetch caches what it answered (gzip
// too, beyond Ignition), "no config" answers give an empty first boot, qemu's fw_cfg works offline.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runStage, type EngineOptions } from '../../src/engine/engine.js';
import { EngineLog } from '../../src/engine/log.js';
import { realHost } from '../../src/host/host.js';
import { getProvider } from '../../src/providers/registry.js';
import type { ProviderSeams } from '../../src/providers/provider.js';
import type { StageName } from '../../src/stages/stage.js';
import { routeServer, type MetadataServer } from '../providers/helpers.js';

const CONFIG = JSON.stringify({ ignition: { version: '3.4.0' }, storage: { files: [{ path: '/etc/from-provider', contents: { source: 'data:,hello' } }] } });
let dir: string;
let server: MetadataServer | undefined;
const dirs: string[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function setup(): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-engine-prov-'));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'root'));
  fs.mkdirSync(path.join(dir, 'sys'));
  fs.writeFileSync(path.join(dir, 'cmdline'), 'root=/dev/vda\n');
  return dir;
}

async function stage(platform: string, name: StageName, seams: ProviderSeams, lines: string[]): Promise<number> {
  const log = new EngineLog((t) => lines.push(...t.trimEnd().split('\n')));
  const o: EngineOptions = {
    stage: name,
    platform: getProvider(platform)!,
    root: path.join(dir, 'root'),
    configCache: path.join(dir, 'ignition.json'),
    needNet: path.join(dir, 'neednet'),
    stateFile: path.join(dir, 'state'),
    fetchTimeoutMs: 5000,
    log,
    host: realHost({ log }),
    env: {
      IGNITION_KERNEL_CMDLINE_PATH: path.join(dir, 'cmdline'),
      IGNITION_SYSTEM_CONFIG_DIR: path.join(dir, 'sys'),
      IGNITION_SYSTEM_RUNTIME_CONFIG_DIR: path.join(dir, 'sys'),
      IGNITION_SYSTEM_LOCAL_CONFIG_DIR: path.join(dir, 'sys'),
    },
    cwd: dir,
    failureReport: path.join(dir, 'failure.json'),
    seams,
  };
  return (await runStage(o)).code;
}

const cache = () => JSON.parse(fs.readFileSync(path.join(dir, 'ignition.json'), 'utf8'));

describe('the engine with the platform providers', () => {
  it('aws (IMDSv2): fetch-offline asks for the network, fetch caches the user data, files writes it', async () => {
    setup();
    server = await routeServer([
      { method: 'PUT', url: '/latest/api/token', responses: [{ status: 200, body: 'tok' }] },
      { method: 'GET', url: '/2019-10-01/user-data', responses: [{ status: 200, body: CONFIG }] },
    ]);
    const seams = { metadataOrigin: server.url };
    const lines: string[] = [];
    expect(await stage('aws', 'fetch-offline', seams, lines)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'neednet'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'ignition.json'))).toBe(false);
    expect(server.seen).toEqual([]);

    expect(await stage('aws', 'fetch', seams, lines)).toBe(0);
    expect(cache()).toMatchObject({ ignition: { version: '3.7.0-experimental' }, storage: { files: [{ path: '/etc/from-provider' }] } });
    expect(server.seen.find((s) => s.method === 'GET')?.headers['x-aws-ec2-metadata-token']).toBe('tok');
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state'), 'utf8'));
    expect(state.fetchedConfigs.at(-1)).toEqual({ kind: 'user', source: 'aws', referenced: false });

    expect(await stage('aws', 'files', seams, lines)).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'root/etc/from-provider'), 'utf8')).toBe('hello');
  });

  it('gcp: a gzip-compressed config is recognised (beyond Ignition); 404 means an empty first boot', async () => {
    setup();
    server = await routeServer([
      { method: 'GET', url: '/computeMetadata/v1/instance/attributes/user-data', responses: [{ status: 200, bodyB64: gzipSync(CONFIG).toString('base64') }] },
    ]);
    const lines: string[] = [];
    expect(await stage('gcp', 'fetch', { metadataOrigin: server.url }, lines)).toBe(0);
    expect(cache().storage.files[0].path).toBe('/etc/from-provider');
    expect(lines).toContain('INFO     : config from gcp was gzip-compressed');
    await server.close();

    setup();
    server = await routeServer([]);
    expect(await stage('gcp', 'fetch', { metadataOrigin: server.url }, [])).toBe(0);
    expect(cache()).toEqual({ ignition: { version: '3.7.0-experimental' } });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'state'), 'utf8')).fetchedConfigs.some((c: { kind: string }) => c.kind === 'user')).toBe(false);
  });

  it('digitalocean: 404 is a failure there, with Ignition’s message and a report', async () => {
    setup();
    server = await routeServer([]);
    const lines: string[] = [];
    expect(await stage('digitalocean', 'fetch', { metadataOrigin: server.url }, lines)).toBe(1);
    expect(lines).toContain('CRITICAL : Ignition failed: resource not found');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'failure.json'), 'utf8'))).toMatchObject({ stage: 'fetch', message: 'resource not found' });
  });

  it('qemu: the fw_cfg entry is read offline, so fetch-offline caches it and needs no network', async () => {
    setup();
    const entry = path.join(dir, 'fakesys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config');
    fs.mkdirSync(entry, { recursive: true });
    fs.writeFileSync(path.join(entry, 'raw'), CONFIG);
    fs.writeFileSync(path.join(entry, 'size'), String(CONFIG.length));
    const lines: string[] = [];
    expect(await stage('qemu', 'fetch-offline', { sysRoot: path.join(dir, 'fakesys') }, lines)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'neednet'))).toBe(false);
    expect(cache().storage.files[0].path).toBe('/etc/from-provider');
  });

  it('a system user.ign pre-empts the platform, which is then never asked', async () => {
    setup();
    server = await routeServer([{ method: 'GET', url: '/metadata/v1/user-data', responses: [{ status: 200, body: CONFIG }] }]);
    fs.writeFileSync(path.join(dir, 'sys/user.ign'), JSON.stringify({ ignition: { version: '3.0.0' } }));
    expect(await stage('digitalocean', 'fetch', { metadataOrigin: server.url }, [])).toBe(0);
    expect(server.seen).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'state'), 'utf8')).fetchedConfigs.at(-1).source).toBe('system');
  });
});
