// The secret scan (issue 13 §5): what it harvests from configs and finds in output, and that the
// guard installed for every test fails a leaking test by name (a fixture run in its own vitest).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { open, plantSecret, unrecorded } from './leak-sink.js';
import { configSecrets, findLeaks, harvest, urlSecrets } from './secret-scan.js';

describe('harvesting planted secrets from configs', () => {
  it('takes password hashes, header values, URL passwords and tokens, key files', () => {
    const cfg = {
      ignition: { version: '3.5.0', config: { merge: [{ source: 'https://u:pw-merge-1@h/c.ign?X-Amz-Signature=sig123456&ok=1' }] } },
      passwd: { users: [{ name: 'core', passwordHash: '$y$j9T$abcdefgh$' + 'z'.repeat(43) }], groups: [{ name: 'g', passwordHash: 'grouphash-1' }] },
      storage: {
        files: [
          { path: '/a', contents: { source: 'https://h/a', httpHeaders: [{ name: 'Authorization', value: 'Bearer tok-header-1' }] } },
          { path: '/b', contents: { source: 'data:,not%20a%20secret' } },
        ],
        luks: [{ name: 'v', device: '/dev/vdb', keyFile: { source: 'data:,luks-key-material' } }],
      },
    };
    expect(configSecrets(cfg).sort()).toEqual(
      ['$y$j9T$abcdefgh$' + 'z'.repeat(43), 'Bearer tok-header-1', 'grouphash-1', 'luks-key-material', 'pw-merge-1', 'sig123456'].sort(),
    );
  });
  it('reads Butane YAML too, and nothing from text that is not a config', () => {
    const yaml =
      'variant: fcos\nversion: 1.5.0\npasswd:\n  users:\n    - name: core\n      password_hash: "$6$abc$defdefdefdefdefdefdefdef"\nstorage:\n  luks:\n    - name: v\n      device: /dev/vdb\n      key_file:\n        inline: butane-inline-key\n';
    expect(harvest(yaml).sort()).toEqual(['$6$abc$defdefdefdefdefdefdefdef', 'butane-inline-key']);
    expect(harvest('just some text about ignition')).toEqual([]);
  });
  it('ignores masks and short values', () => {
    expect(urlSecrets('https://REDACTED@h/x?token=REDACTED')).toEqual([]);
    expect(urlSecrets('https://u:p@h/x?sig=ab')).toEqual([]);
  });
});

describe('finding leaks', () => {
  it('finds planted values, also encoded, and secret shapes; not their masked forms', () => {
    expect(findLeaks('all fine: https://REDACTED@h/x?token=REDACTED&page=2', [])).toEqual([]);
    expect(findLeaks('sent Basic ' + Buffer.from('the-secret-9').toString('base64'), ['the-secret-9'])[0].what).toMatch(/planted secret .*\(encoded\)/);
    expect(findLeaks('useradd --password $6$rounds=5000$salt$' + 'a'.repeat(40), [])[0].what).toBe('a crypt(3) password hash');
    expect(findLeaks('GET https://admin:pw@h/', [])[0].what).toBe('URL credentials');
    expect(findLeaks('GET https://h/x?X-Goog-Signature=abcdef0123', [])[0].what).toBe('a signed-URL token');
    expect(findLeaks('-----BEGIN EC PRIVATE KEY-----', [])[0].what).toBe('a private key');
    expect(findLeaks('authorization: Bearer abcdefghijkl', [])[0].what).toBe('an Authorization header value');
  });
});

it('fails a test that leaks, naming it, and passes one that does not', { timeout: 120_000 }, () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-leakmeta-')), 'r.json');
  // Its output is leaky on purpose: not read here (the guard of this test would rightly object).
  spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/support/fixtures/vitest.leaky.config.ts', '--reporter=json', `--outputFile=${out}`],
    {
      stdio: 'ignore',
    },
  );
  const r = JSON.parse(fs.readFileSync(out, 'utf8')) as { testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const byTitle = Object.fromEntries(r.testResults[0].assertionResults.map((a) => [a.title, a]));
  for (const [title, what] of [
    ['logs a planted password hash', /planted secret/],
    ['lets a child process print a header value', /planted secret/],
    ['prints a URL with its password', /URL credentials/],
  ] as const) {
    expect(byTitle[title].status).toBe('failed');
    expect(byTitle[title].failureMessages.join('\n')).toContain(`secret leak in test "test/support/fixtures/leaky.fixture.ts > ${title}"`);
    expect(byTitle[title].failureMessages.join('\n')).toMatch(what);
    expect(byTitle[title].failureMessages.join('\n')).not.toContain('hunter2hunter2');
  }
  expect(byTitle['stays quiet about its secrets'].status).toBe('passed');
});

it('does not scan what a test reads back itself inside unrecorded(), and scans again after it', () => {
  // Were the read-back recorded, this test's own guard would fail it.
  plantSecret('readback-0123456789abcdef');
  const r = unrecorded(() => spawnSync('echo', ['readback-0123456789abcdef'], { encoding: 'utf8' }));
  expect(r.stdout.trim().length).toBe('readback-0123456789abcdef'.length);
  spawnSync('echo', ['after-unrecorded-marker']);
  expect([...open].some((w) => w.text.join('').includes('after-unrecorded-marker'))).toBe(true);
});
