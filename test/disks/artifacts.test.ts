// LUKS leftovers of the disks stage, written by the files stage into a real temp root.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { luksFilesFragment } from '../../src/disks/artifacts.js';
import { mergeConfigs } from '../../src/config/merge.js';
import { runFilesStage } from '../../src/stages/files/run.js';
import { realHost } from '../../src/host/host.js';
import type { Config } from '../../src/generated/types.js';

const isRoot = process.getuid?.() === 0;
let root: string;
afterEach(() => root && fs.rmSync(root, { recursive: true, force: true }));

describe('luksFilesFragment', () => {
  const artifacts = {
    crypttab: ['data UUID=1111 /etc/luks/data luks,x-initrd.attach\n', 'net UUID=2222 none luks,_netdev,x-initrd.attach\n'],
    keyFiles: [{ name: 'data', path: '/etc/luks/data', contents: Buffer.from('s3cret-key'), mode: 0o600 }],
  };

  it('is nothing without volumes', () => {
    expect(luksFilesFragment({ crypttab: [], keyFiles: [] }, { keyDir: '/etc/luks', keyDirExists: false })).toBeUndefined();
  });

  it('creates a new key directory 0700 but leaves an existing one alone', () => {
    expect(luksFilesFragment(artifacts, { keyDir: '/etc/luks', keyDirExists: false })?.storage?.directories).toEqual([{ path: '/etc/luks', mode: 0o700 }]);
    expect(luksFilesFragment(artifacts, { keyDir: '/etc/luks', keyDirExists: true })?.storage?.directories).toBeUndefined();
  });

  it.skipIf(!isRoot)('is written by the files stage: key files 0600, crypttab appended to', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-luks-files-'));
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc/crypttab'), '# existing\n');
    const user: Config = { ignition: { version: '3.7.0-experimental' }, storage: { files: [{ path: '/etc/motd', contents: { source: 'data:,hi' } }] } };
    const extra = luksFilesFragment(artifacts, { keyDir: '/etc/luks', keyDirExists: false })!;
    await runFilesStage(mergeConfigs(user, extra), realHost(), { root, mode: 'apply' });
    expect(fs.readFileSync(path.join(root, 'etc/crypttab'), 'utf8')).toBe('# existing\n' + artifacts.crypttab.join(''));
    expect(fs.statSync(path.join(root, 'etc/crypttab')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(root, 'etc/luks/data'), 'utf8')).toBe('s3cret-key');
    expect(fs.statSync(path.join(root, 'etc/luks/data')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(root, 'etc/luks')).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(root, 'etc/motd'), 'utf8')).toBe('hi');
  });
});
