// Every lint check on a config that triggers it (code, line, hint) and on one that must not.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { lintSource, type LintOptions } from '../../src/lint/lint.js';
import { CHECKS, LINT_CODES } from '../../src/lint/checks/index.js';

const lint = (text: string, opts: LintOptions = {}) => lintSource('t.bu', text, opts);
/** `code@line` of every finding with that code. */
const hits = (text: string, code: string, opts: LintOptions = {}) =>
  lint(text, opts)
    .diagnostics.filter((d) => d.code === code)
    .map((d) => `${d.code}@${d.source?.line}`);
const one = (text: string, code: string, opts: LintOptions = {}) => {
  const ds = lint(text, opts).diagnostics.filter((d) => d.code === code);
  expect(ds, JSON.stringify(lint(text, opts).diagnostics)).toHaveLength(1);
  expect(ds[0].hint).toBeTruthy();
  return ds[0];
};
const fcos = (body: string, version = '1.6.0') => `variant: fcos\nversion: ${version}\n${body}`;
const ign = (o: object) => JSON.stringify({ ignition: { version: '3.4.0' }, ...o }, null, 2);

describe('lint checks', () => {
  it('every check has a distinct code, a summary and a severity', () => {
    expect(new Set(LINT_CODES).size).toBe(LINT_CODES.length);
    for (const c of CHECKS) expect(c.summary.length).toBeGreaterThan(10);
    expect(LINT_CODES).toHaveLength(23);
  });

  describe('nm-keyfile-mode', () => {
    const nm = (mode: string) =>
      fcos(
        `storage:\n  files:\n    - path: /etc/NetworkManager/system-connections/eth0.nmconnection\n${mode}      contents:\n        inline: "[connection]\\nid=eth0\\n"\n`,
      );
    it('warns for the default mode and for 0644, at the mode when given', () => {
      expect(one(nm(''), 'nm-keyfile-mode').message).toContain('0644 (the default)');
      expect(one(nm('      mode: 0644\n'), 'nm-keyfile-mode').source?.line).toBe(6);
    });
    it('is quiet for 0600 and 0400', () => {
      expect(hits(nm('      mode: 0600\n'), 'nm-keyfile-mode')).toEqual([]);
      expect(hits(nm('      mode: 0400\n'), 'nm-keyfile-mode')).toEqual([]);
    });
    it('warns for a keyfile not owned by root', () => {
      expect(one(nm('      mode: 0600\n      user: {name: core}\n'), 'nm-keyfile-mode').message).toContain('not owned by root');
    });
    it('works on Ignition JSON too', () => {
      const r = lintSource('t.ign', ign({ storage: { files: [{ path: '/etc/NetworkManager/system-connections/a.nmconnection', mode: 420 }] } }));
      expect(r.diagnostics.map((d) => d.code)).toEqual(['nm-keyfile-mode']);
    });
  });

  describe('unit-enabled-no-install', () => {
    const unit = (install: string) =>
      fcos(`systemd:\n  units:\n    - name: a.service\n      enabled: true\n      contents: |\n        [Service]\n        ExecStart=/bin/true\n${install}`);
    it('warns at `enabled` when the contents have no [Install]', () => {
      expect(hits(unit(''), 'unit-enabled-no-install')).toEqual(['unit-enabled-no-install@6']);
      // It replaces Ignition's own warning about the same unit.
      expect(lint(unit('')).diagnostics.map((d) => d.code)).toEqual(['unit-enabled-no-install']);
      expect(lintSource('t.bu', unit(''), { checks: [] }).diagnostics.map((d) => d.code)).toEqual(['unit-no-install']);
    });
    it('is quiet with an [Install] section', () => {
      expect(hits(unit('        [Install]\n        WantedBy=multi-user.target\n'), 'unit-enabled-no-install')).toEqual([]);
    });
  });

  describe('dropin-unknown-unit', () => {
    const cfg = (name: string) =>
      fcos(
        `systemd:\n  units:\n    - name: app.service\n      contents: "[Service]\\nExecStart=/bin/true\\n"\n    - name: ${name}\n      dropins:\n        - name: 10-x.conf\n          contents: "[Service]\\nNice=5\\n"\n`,
      );
    it('warns for a near miss of a unit the config defines, or the image ships', () => {
      expect(one(cfg('ap.service'), 'dropin-unknown-unit').hint).toContain('`app.service`');
      expect(one(cfg('shd.service'), 'dropin-unknown-unit').hint).toContain('`sshd.service`');
      // Same name, another unit type: a near miss however far the suffixes are.
      expect(one(cfg('app.automount'), 'dropin-unknown-unit').hint).toContain('`app.service`');
    });
    it('is quiet for units the config or the image provides, and for names it cannot judge', () => {
      for (const n of ['app.service', 'sshd.service', 'getty@tty1.service', 'nginx.service']) expect(hits(cfg(n), 'dropin-unknown-unit')).toEqual([]);
    });
  });

  describe('overwrite-false-shipped', () => {
    const f = (p: string, extra: string) => fcos(`storage:\n  files:\n    - path: ${p}\n${extra}      contents:\n        inline: hi\n`);
    it('warns for a file the fcos image ships, written without overwrite: true', () => {
      expect(one(f('/etc/motd', ''), 'overwrite-false-shipped').message).toContain('from setup');
      expect(one(f('/etc/ssh/sshd_config', '      overwrite: false\n'), 'overwrite-false-shipped').source?.line).toBe(6);
    });
    it('is quiet with overwrite: true, for paths not shipped, and on flatcar', () => {
      expect(hits(f('/etc/motd', '      overwrite: true\n'), 'overwrite-false-shipped')).toEqual([]);
      expect(hits(f('/etc/hostname', ''), 'overwrite-false-shipped')).toEqual([]);
      expect(
        hits(`variant: flatcar\nversion: 1.1.0\nstorage:\n  files:\n    - path: /etc/motd\n      contents:\n        inline: hi\n`, 'overwrite-false-shipped'),
      ).toEqual([]);
    });
    it('warns for a link over /etc/localtime', () => {
      expect(
        hits(fcos('storage:\n  links:\n    - path: /etc/localtime\n      target: ../usr/share/zoneinfo/Europe/Paris\n'), 'overwrite-false-shipped'),
      ).toEqual(['overwrite-false-shipped@5']);
    });
  });

  describe('secret-world-readable', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n';
    const f = (mode: string, contents = `"${key}"`, name = 'id_ed25519') =>
      fcos(`storage:\n  files:\n    - path: /home/core/.ssh/${name}\n${mode}      contents:\n        inline: ${contents}\n`);
    it('warns for a private key with the default mode, without showing it', () => {
      const d = one(f(''), 'secret-world-readable');
      expect(d.message).toContain('a private key');
      expect(JSON.stringify(d)).not.toContain('b3BlbnNz');
    });
    it('warns for a password setting readable by all', () => {
      expect(
        one(
          fcos('storage:\n  files:\n    - path: /etc/app.env\n      mode: 0644\n      contents:\n        inline: "DB_PASSWORD=hunter2hunter2\\n"\n'),
          'secret-world-readable',
        ).message,
      ).toContain('DB_PASSWORD');
    });
    it('knows every name of a credential, in any case', () => {
      const env = (line: string) => fcos(`storage:\n  files:\n    - path: /etc/app.env\n      mode: 0644\n      contents:\n        inline: "${line}\\n"\n`);
      for (const name of ['password', 'DB_PASSWD', 'Secret', 'GITHUB_TOKEN', 'api_key', 'API-KEY', 'apikey', 'Private_Key', 'privatekey'])
        expect(one(env(`${name}=abcd1234`), 'secret-world-readable').message, name).toContain(`(${name})`);
      expect(hits(env('LOG_LEVEL=debug'), 'secret-world-readable')).toEqual([]);
    });
    it('sees through gzip data URLs (Butane compresses long inline data)', () => {
      const data = `data:;base64,${gzipSync(Buffer.from(`${'x'.repeat(2000)}\n-----BEGIN RSA PRIVATE KEY-----\nAAAA\n`)).toString('base64')}`;
      const r = lintSource('t.ign', ign({ storage: { files: [{ path: '/etc/k.pem', contents: { source: data, compression: 'gzip' } }] } }));
      expect(r.diagnostics.map((d) => d.code)).toEqual(['secret-world-readable']);
    });
    it('is quiet for mode 0600 and for public data', () => {
      expect(hits(f('      mode: 0600\n'), 'secret-world-readable')).toEqual([]);
      expect(hits(f('', '"ssh-ed25519 AAAA core"', 'id_ed25519.pub'), 'secret-world-readable')).toEqual([]);
      // A private key's usual name is enough, whatever the contents look like.
      expect(hits(f('', '"not a pem"'), 'secret-world-readable')).toHaveLength(1);
    });
  });

  describe('remote-no-hash and http-unverified', () => {
    const f = (src: string, verification = '') => fcos(`storage:\n  files:\n    - path: /opt/a\n      contents:\n        source: ${src}\n${verification}`);
    const hash = `        verification:\n          hash: sha512-${'a'.repeat(128)}\n`;
    it('https without a hash is remote-no-hash; http without one is http-unverified, not both', () => {
      expect(hits(f('https://example.com/a'), 'remote-no-hash')).toEqual(['remote-no-hash@7']);
      expect(lint(f('http://example.com/a')).diagnostics.map((d) => d.code)).toEqual(['http-unverified']);
      expect(hits(f('tftp://10.0.0.1/a'), 'http-unverified')).toHaveLength(1);
    });
    it('a hash satisfies both; data URLs need none', () => {
      expect(lint(f('http://example.com/a', hash)).diagnostics).toEqual([]);
      expect(lint(f('https://example.com/a', hash)).diagnostics).toEqual([]);
      expect(lint(fcos('storage:\n  files:\n    - path: /opt/a\n      contents:\n        inline: x\n')).diagnostics).toEqual([]);
    });
    it('covers merged configs and CAs', () => {
      const r = lintSource(
        't.ign',
        ign({
          ignition: {
            version: '3.4.0',
            config: { merge: [{ source: 'http://10.0.0.1/a.ign' }] },
            security: { tls: { certificateAuthorities: [{ source: 's3://b/ca.pem' }] } },
          },
        }),
      );
      expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['http-unverified', 'remote-no-hash']);
    });
  });

  describe('unit-name-path', () => {
    it('warns for a unit or drop-in name with / or ..', () => {
      const y = fcos(
        'systemd:\n  units:\n    - name: ../evil.service\n      contents: "[Unit]\\n"\n    - name: b.service\n      dropins:\n        - name: sub/x.conf\n          contents: "[Unit]\\n"\n',
      );
      expect(hits(y, 'unit-name-path')).toEqual(['unit-name-path@5', 'unit-name-path@9']);
      expect(hits(fcos('systemd:\n  units:\n    - name: ok.service\n      contents: "[Unit]\\n"\n'), 'unit-name-path')).toEqual([]);
    });
  });
});

describe('checks of the compatibility audit traps', () => {
  it('yaml-extra-document: a second document is a warning', () => {
    const d = one(fcos('storage: {}\n---\nvariant: fcos\n'), 'yaml-extra-document');
    expect([d.severity, d.source?.line]).toEqual(['warning', 4]);
    expect(lint(fcos('storage: {}\n---\n')).diagnostics.filter((x) => x.severity === 'info')).toEqual([]);
  });
  it('yaml-null-list-item: an empty item is a warning', () => {
    expect(hits(fcos('passwd:\n  users:\n    - name: a\n    -\n'), 'yaml-null-list-item')).toEqual(['yaml-null-list-item@6']);
    expect(hits(fcos('passwd:\n  users:\n    - name: a\n'), 'yaml-null-list-item')).toEqual([]);
  });
  it('yaml-null-section: `storage:` with nothing under it replaces the obscure warning', () => {
    const ds = lint(fcos('storage:\nsystemd: {}\n')).diagnostics;
    expect(ds.map((d) => `${d.code}@${d.source?.line}`)).toEqual(['yaml-null-section@3']);
    expect(hits(fcos('storage: {}\n'), 'yaml-null-section')).toEqual([]);
  });
  it('yaml-alias-object: unknown keys inside an aliased mapping', () => {
    const y = fcos('storage:\n  files:\n    - &f\n      path: /a\n      contnets: {inline: x}\n    - *f\n');
    // Butane reports the typo where it is written (line 7) but not through the alias.
    const r = lint(y).diagnostics;
    expect(r.filter((d) => d.code === 'unused-key').map((d) => d.source?.line)).toEqual([7]);
    expect(hits(fcos('x: &u\n  name: a\n  hom_dir: /h\npasswd:\n  users:\n    - *u\n'), 'yaml-alias-object')).toEqual(['yaml-alias-object@5']);
  });
  it('yaml-merge-key: unknown keys merged in with <<', () => {
    const y = fcos('x: &base\n  mode: 0644\n  overwrit: true\nstorage:\n  files:\n    - <<: *base\n      path: /a\n');
    const d = one(y, 'yaml-merge-key');
    expect([d.source?.line, d.hint]).toEqual([5, 'did you mean `overwrite`?']);
  });
  it('embedded-version-skipped: an inline config of another version is checked as its own', () => {
    const y = fcos(
      'ignition:\n  config:\n    merge:\n      - inline: |\n          {"ignition": {"version": "3.2.0"}, "storage": {"files": [{"path": "rel"}]}}\n',
    );
    const d = one(y, 'embedded-version-skipped');
    expect([d.severity, d.source?.line]).toEqual(['error', 6]);
    expect(d.message).toContain('path not absolute');
    expect(hits(fcos('ignition:\n  config:\n    merge:\n      - inline: \'{"ignition": {"version": "3.2.0"}}\'\n'), 'embedded-version-skipped')).toEqual([]);
  });
  describe('embedded-local-unchecked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-lint-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'bad.ign'), '{"ignition": {"version": "3.4.0"}, "storage": {"files": [{"path": "x"}]}}');
    fs.writeFileSync(path.join(dir, 'ok.ign'), '{"ignition": {"version": "3.4.0"}}');
    fs.writeFileSync(path.join(dir, 'frag.bu'), 'variant: fcos\nversion: 1.5.0\n');
    const y = (f: string) => fcos(`ignition:\n  config:\n    merge:\n      - local: ${f}\n`);
    it('checks a local config, and says a Butane fragment needs Ignition 2.27+', () => {
      expect(one(y('bad.ign'), 'embedded-local-unchecked', { filesDir: dir }).message).toContain('path not absolute');
      expect(one(y('frag.bu'), 'embedded-local-unchecked', { filesDir: dir }).message).toContain('Ignition 2.27');
      expect(hits(y('ok.ign'), 'embedded-local-unchecked', { filesDir: dir })).toEqual([]);
    });
  });
  it('openshift-raw-unfiltered: with --raw, fields a MachineConfig refuses are warnings', () => {
    const y =
      'variant: openshift\nversion: 4.18.0\nmetadata:\n  name: a\n  labels:\n    machineconfiguration.openshift.io/role: worker\nstorage:\n  directories:\n    - path: /var/x\n';
    expect(
      lint(y)
        .diagnostics.filter((d) => d.severity === 'error')
        .map((d) => d.code),
    ).toEqual(['variant-field']);
    const raw = lint(y, { raw: true }).diagnostics;
    expect(raw.map((d) => `${d.code}@${d.source?.line}`)).toEqual(['openshift-raw-unfiltered@9']);
  });
  it('openshift-fcos-checks-hidden: the fcos checks openshift 4.19+ skips', () => {
    const head = 'variant: openshift\nversion: 4.19.0\nmetadata:\n  name: a\n  labels:\n    machineconfiguration.openshift.io/role: worker\n';
    const disk = 'storage:\n  disks:\n    - device: /dev/vdb\n      partitions:\n        - label: data\n';
    expect(hits(head + disk, 'openshift-fcos-checks-hidden')).toEqual(['openshift-fcos-checks-hidden@11']);
    const fs1 = 'storage:\n  filesystems:\n    - device: /dev/vdb\n      format: xfs\n      path: /srv\n      with_mount_unit: true\n';
    expect(hits(head + fs1, 'openshift-fcos-checks-hidden')).toEqual(['openshift-fcos-checks-hidden@11']);
    // fcos itself reports both.
    expect(lint(fcos(disk)).diagnostics.map((d) => d.code)).toEqual(['partition-reuse-by-label']);
  });
  it('root-constrained-false-positive: auto-positioned partitions before root', () => {
    const y = (order: string[]) =>
      fcos(
        `storage:\n  disks:\n    - device: /dev/vda\n      wipe_table: true\n      partitions:\n${order.map((l) => (l === 'root' ? '        - label: root\n          number: 4\n' : `        - label: ${l}\n          size_mib: 100\n`)).join('')}`,
      );
    const before = lint(y(['var', 'root'])).diagnostics;
    expect(before.map((d) => `${d.severity}:${d.code}`)).toEqual(['info:root-constrained-false-positive']);
    expect(lint(y(['root', 'var'])).diagnostics.map((d) => d.code)).toEqual(['root-partition-size']);
  });
  it('tree-decimal-mode: decimal-looking tree modes', () => {
    const y = fcos('storage:\n  trees:\n    - local: t\n      file_mode: 644\n      dir_mode: 0755\n', '1.7.0');
    const d = one(y, 'tree-decimal-mode');
    expect([d.source?.line, d.hint]).toEqual([6, 'did you mean 0644? (that is 420 in decimal)']);
  });
  it('yaml-bool-quoted: YAML 1.1 words where a boolean goes', () => {
    const y = fcos('storage:\n  files:\n    - path: /a\n      overwrite: "yes"\n      contents: {inline: a}\n');
    expect(one(y, 'yaml-bool-quoted').hint).toBe('write `true`');
    expect(hits(fcos('storage:\n  files:\n    - path: /a\n      overwrite: true\n      contents: {inline: a}\n'), 'yaml-bool-quoted')).toEqual([]);
  });
  it('yaml-int-fraction: a fraction where an integer goes', () => {
    expect(one(fcos('passwd:\n  users:\n    - name: a\n      uid: 1000.5\n'), 'yaml-int-fraction').message).toContain('read as 1000');
    expect(hits(fcos('passwd:\n  users:\n    - name: a\n      uid: 1000\n'), 'yaml-int-fraction')).toEqual([]);
  });
  it('compression-declared-gzip: declared gzip, plain data', () => {
    const y = (c: string) => fcos(`storage:\n  files:\n    - path: /a\n      contents:\n        compression: gzip\n        ${c}\n`);
    expect(hits(y('inline: plain text'), 'compression-declared-gzip')).toEqual(['compression-declared-gzip@8']);
    const gz = gzipSync(Buffer.from('hello')).toString('base64');
    expect(hits(y(`source: "data:;base64,${gz}"`), 'compression-declared-gzip')).toEqual([]);
  });
  it('quadlet-empty: a quadlet or its drop-in without contents', () => {
    const y = fcos('systemd:\n  quadlets:\n    - name: web.container\n      dropins:\n        - name: 10-a.conf\n', '1.8.0-experimental');
    expect(hits(y, 'quadlet-empty')).toEqual(['quadlet-empty@5', 'quadlet-empty@7']);
    expect(
      hits(fcos('systemd:\n  quadlets:\n    - name: web.container\n      contents: "[Container]\\nImage=x\\n"\n', '1.8.0-experimental'), 'quadlet-empty'),
    ).toEqual([]);
  });
});

describe('disabling', () => {
  const y = fcos('storage:\n  files:\n    - path: /opt/a\n      contents:\n        source: https://example.com/a\n');
  it('a comment disables the named code on the next line only', () => {
    expect(
      hits(y.replace('        source:', '        # kindling-disable-next-line remote-no-hash -- pinned by the mirror\n        source:'), 'remote-no-hash'),
    ).toEqual([]);
    expect(hits(y.replace('        source:', '        # kindling-disable-next-line http-unverified\n        source:'), 'remote-no-hash')).toHaveLength(1);
    expect(hits(y.replace('      contents:', '      # kindling-disable-next-line\n      contents:'), 'remote-no-hash')).toHaveLength(1);
  });
  it('--disable silences a code everywhere, but never an error of the verdict', () => {
    expect(hits(y, 'remote-no-hash', { disabled: new Set(['remote-no-hash']) })).toEqual([]);
    const bad = fcos('storage:\n  files:\n    # kindling-disable-next-line node-path\n    - path: rel\n');
    expect(lint(bad, { disabled: new Set(['node-path']) }).diagnostics.map((d) => d.code)).toEqual(['node-path']);
  });
});

describe('fixes of Ignition JSON', () => {
  it('a key in the wrong case is renamed, nothing else changes', () => {
    const text = '{\n  "ignition": {"version": "3.4.0"},\n  "storage": {"files": [{"Path": "/a", "MODE": 420, "bogus": 1}]}\n}\n';
    const r = lintSource('t.ign', text);
    expect(r.edits).toEqual([
      { start: text.indexOf('"Path"'), end: text.indexOf('"Path"') + 6, text: '"path"' },
      { start: text.indexOf('"MODE"'), end: text.indexOf('"MODE"') + 6, text: '"mode"' },
    ]);
  });
});
