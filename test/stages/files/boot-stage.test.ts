// runFilesStage in boot mode: result file (0600) and the SELinux relabel command, with a recording
// command runner standing in for setfiles (not installed here) and systemctl. As in Ignition, a unit
// file is relabelled by itself (not its new parents) and the preset file by its first missing component.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realHost, type RunOptions } from '../../../src/host/host.js';
import { runFilesStage } from '../../../src/stages/files/run.js';

let root: string;
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('files stage (boot)', () => {
  it('writes the result file and relabels what it created when a policy is configured', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-boot-'));
    fs.mkdirSync(path.join(root, 'etc/selinux'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/selinux/config'), 'SELINUX=enforcing\nSELINUXTYPE=targeted\n');
    fs.writeFileSync(path.join(root, 'boot_id'), 'abc-123\n');
    const calls: { argv: string[]; opts?: RunOptions }[] = [];
    const host = realHost({ runner: { run: async (argv, opts) => (calls.push({ argv, opts }), { code: 0, stdout: '', stderr: '' }) } });
    await runFilesStage(
      {
        ignition: { version: '3.6.0' },
        storage: { files: [{ path: '/opt/app/conf', contents: { source: 'data:,x' } }] },
        systemd: { units: [{ name: 'a.service', contents: '[Unit]\n', enabled: true }] },
      },
      host,
      { root, mode: 'boot', bootIdPath: path.join(root, 'boot_id'), userConfigProvided: true },
    );
    const result = path.join(root, 'etc/.ignition-result.json');
    expect(fs.statSync(result).mode & 0o7777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(result, 'utf8'))).toMatchObject({ provisioningBootID: 'abc-123', userConfigProvided: true });
    const setfiles = calls.find((c) => c.argv[0] === 'setfiles')!;
    expect(setfiles.argv).toEqual(['setfiles', '-vF0', '-r', root, `${root}/etc/selinux/targeted/contexts/files/file_contexts`, '-f', '-']);
    const relabelled = String(setfiles.opts?.input).split('\0').filter(Boolean).sort();
    expect(relabelled).toEqual(
      [`${root}/etc/.ignition-result.json`, `${root}/etc/systemd/system-preset`, `${root}/etc/systemd/system/a.service`, `${root}/opt`].sort(),
    );
    expect(fs.readFileSync(path.join(root, 'etc/systemd/system-preset/20-ignition.preset'), 'utf8')).toBe('enable a.service\n');
  });
});
