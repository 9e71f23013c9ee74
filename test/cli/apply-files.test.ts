// The built `kindling apply` CLI on YAML input: failure reports and dry runs name the YAML line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const cli = path.resolve('dist/kindling.cjs');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-apply-cli-'));
  fs.mkdirSync(path.join(dir, 'root/etc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'root/etc/motd'), 'old\n');
  fs.writeFileSync(
    path.join(dir, 'c.bu'),
    'variant: fcos\nversion: 1.5.0\nstorage:\n  files:\n    - path: /etc/issue\n      contents: { inline: ok }\n    - path: /etc/motd\n      contents:\n        inline: hello\n',
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const apply = (...args: string[]) =>
  spawnSync(process.execPath, [cli, 'apply', '--root', path.join(dir, 'root'), ...args, path.join(dir, 'c.bu')], { encoding: 'utf8' });

describe('kindling apply with Butane YAML', () => {
  it('fails before writing anything, naming the config path, the YAML line and a fix', () => {
    const r = apply();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error creating file "/etc/motd": A file exists there already and overwrite is false');
    expect(r.stderr).toMatch(/config: +\$\.storage\.files\.1 \(.*c\.bu:7:7\)/);
    expect(r.stderr).toContain('hint:      set overwrite: true to replace the existing file');
    expect(fs.existsSync(path.join(dir, 'root/etc/issue'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'root/etc/motd'), 'utf8')).toBe('old\n');
  });
  it('--dry-run lists operations with their YAML position', () => {
    fs.rmSync(path.join(dir, 'root/etc/motd'));
    const r = apply('--dry-run');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/write \/etc\/issue from data:,<2 chars> +\[\$\.storage\.files\.0\.contents \(.*c\.bu:6:17\)\]/);
    expect(fs.existsSync(path.join(dir, 'root/etc/issue'))).toBe(false);
  });
});
