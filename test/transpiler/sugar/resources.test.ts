// Transpiler unit tests: inline and local resources (encoding choice, compression, local files) and
// the other *_local sugar.
import { describe, expect, it } from 'vitest';
import { ok, diags, decode, filesDirs } from '../helpers.js';

const filesDir = filesDirs();

describe('resources: inline and local', () => {
  it('picks percent-escaping, base64 or gzip, whichever is shortest, with compression set', () => {
    const c = ok(`variant: fcos
version: 1.7.0
storage:
  files:
    - path: /a
      contents: {inline: "1"}
    - path: /b
      contents: {inline: "${'0'.repeat(200)}"}
    - path: /c
      contents: {inline: "a b c d e f g h i j k l m n o p q r s t u v w x y z\\n"}
`);
    const [a, b, cc] = c.storage.files;
    expect(a.contents).toEqual({ compression: '', source: 'data:,1' });
    expect(b.contents.compression).toBe('gzip');
    expect(b.contents.source.startsWith('data:;base64,H4sIAAAAAAAC/')).toBe(true);
    expect(decode(b.contents)).toBe('0'.repeat(200));
    expect(cc.contents.source.startsWith('data:;base64,')).toBe(true);
    expect(cc.contents.compression).toBe('');
  });

  it('keeps a compression the user set and does not compress again', () => {
    const c = ok(`variant: fcos
version: 1.7.0
storage:
  files:
    - path: /a
      contents: {inline: "${'x'.repeat(300)}", compression: gzip}
`);
    expect(c.storage.files[0].contents.compression).toBe('gzip');
    expect(c.storage.files[0].contents.source).toBe('data:,' + 'x'.repeat(300));
  });

  it('fcos 1.0.0 only percent-escapes and never sets compression', () => {
    const c = ok(`variant: fcos
version: 1.0.0
storage:
  files:
    - path: /a
      contents: {inline: "${'x'.repeat(300)}"}
`);
    expect(c.storage.files[0].contents).toEqual({ source: 'data:,' + 'x'.repeat(300) });
    expect(
      diags(`variant: fcos
version: 1.0.0
storage:
  files:
    - path: /a
      contents: {local: x}
`),
    ).toEqual(['6:18 warning unused key local']);
  });

  it('reads local files from --files-dir for contents, append, merge and CA bundles', () => {
    const d = filesDir({ 'f.txt': 'hello\n', 'ca.pem': 'PEM\n', 'extra.ign': '{"ignition":{"version":"3.4.0"}}' });
    const c = ok(
      `variant: fcos
version: 1.5.0
ignition:
  config:
    merge: [{local: extra.ign}]
  security:
    tls:
      certificate_authorities: [{local: ca.pem}]
storage:
  files:
    - path: /a
      contents: {local: f.txt}
      append: [{local: f.txt}]
`,
      { filesDir: d },
    );
    expect(decode(c.storage.files[0].contents)).toBe('hello\n');
    expect(decode(c.storage.files[0].append[0])).toBe('hello\n');
    expect(decode(c.ignition.config.merge[0])).toContain('3.4.0');
    expect(decode(c.ignition.security.tls.certificateAuthorities[0])).toBe('PEM\n');
  });

  it('refuses a missing --files-dir, paths escaping it, missing files and two sources', () => {
    const y = (local: string) => `variant: fcos
version: 1.7.0
storage:
  files:
    - path: /a
      contents:
        local: ${local}
`;
    expect(diags(y('f'))).toEqual(['7:16 error local file paths are relative to a files directory that must be specified with -d/--files-dir']);
    const d = filesDir({ f: 'x' });
    expect(diags(y('../../etc/passwd'), { filesDir: d })).toEqual(['7:16 error local file path traverses outside the files directory']);
    expect(diags(y('nope'), { filesDir: d })).toEqual(['7:16 error cannot read local file nope: no such file or directory']);
    expect(
      diags(`variant: fcos
version: 1.7.0
storage:
  files:
    - path: /a
      contents:
        inline: a
        source: https://example.com/a
`),
    ).toEqual(['8:17 error only one of the following can be set: inline, local, source']);
  });
});

describe('local sugar for units and users', () => {
  it('contents_local fills unit and drop-in contents verbatim', () => {
    const d = filesDir({ 'a.service': '[Service]\nExecStart=/bin/true\n', 'd.conf': '[Unit]\n' });
    const c = ok(
      `variant: fcos
version: 1.5.0
systemd:
  units:
    - name: a.service
      contents_local: a.service
      dropins:
        - name: d.conf
          contents_local: d.conf
`,
      { filesDir: d },
    );
    expect(c.systemd.units[0]).toEqual({
      contents: '[Service]\nExecStart=/bin/true\n',
      dropins: [{ contents: '[Unit]\n', name: 'd.conf' }],
      name: 'a.service',
    });
    expect(
      diags(
        `variant: fcos
version: 1.5.0
systemd:
  units:
    - name: a.service
      contents: x
      contents_local: a.service
`,
        { filesDir: d },
      ),
    ).toEqual(['7:23 error only one of the following can be set: contents, contents_local']);
  });

  it('ssh_authorized_keys_local appends non-empty lines after the inline keys', () => {
    const d = filesDir({ keys: 'ssh-ed25519 AAA one\r\n\nssh-rsa BBB two\n' });
    const c = ok(
      `variant: fcos
version: 1.5.0
passwd:
  users:
    - name: core
      ssh_authorized_keys: [ssh-ed25519 CCC inline]
      ssh_authorized_keys_local: [keys]
`,
      { filesDir: d },
    );
    expect(c.passwd.users[0].sshAuthorizedKeys).toEqual(['ssh-ed25519 CCC inline', 'ssh-ed25519 AAA one', 'ssh-rsa BBB two']);
  });
});
