// The engine's pure pieces: Go flag syntax, durations, what needs the network, provenance across
// base configs, and what a failure report keeps (and never keeps).
import { describe, expect, it } from 'vitest';
import { parseGoDuration, parseGoFlags } from '../../src/cli/boot.js';
import { networkNeeds } from '../../src/stages/fetch-offline.js';
import { userPath } from '../../src/engine/provenance.js';
import { describeFailure, scrub, summarize } from '../../src/engine/failure.js';
import { AcquireError } from '../../src/engine/acquire.js';
import { FetchError } from '../../src/fetch/errors.js';
import { OpError } from '../../src/stages/files/errors.js';
import { parseState } from '../../src/stages/state.js';
import type { Config } from '../../src/generated/types.js';
import { randomText, seededRandom } from '../support/random.js';

describe('Go flag syntax', () => {
  it('takes -x=v, --x v and booleans, with Ignition defaults', () => {
    const f = parseGoFlags(['-platform=metal', '--stage', 'files', '-log-to-stdout', '--device', '/dev/a', '-device=/dev/b']);
    expect(f).toMatchObject({
      platform: 'metal',
      stage: 'files',
      'log-to-stdout': true,
      device: ['/dev/a', '/dev/b'],
      root: '/',
      'config-cache': '/run/ignition.json',
    });
  });
  it('reports unknown flags and missing values as Go does', () => {
    expect(parseGoFlags(['-bogus'])).toEqual({ error: 'flag provided but not defined: -bogus' });
    expect(parseGoFlags(['-root'])).toEqual({ error: 'flag needs an argument: -root' });
    expect(parseGoFlags(['-log-to-stdout=maybe'])).toMatchObject({ error: expect.stringContaining('invalid boolean value') });
  });
  it('parses durations', () => {
    expect(parseGoDuration('2m0s')).toBe(120_000);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('10')).toBeNull();
    expect(parseGoDuration('')).toBeNull();
  });
  it('reads durations as the pattern of numbers and units does', () => {
    const units: Record<string, number> = { ns: 1e-6, us: 1e-3, '\u00b5s': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const byPattern = (s: string) => {
      if (s === '0') return 0;
      const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|ms|s|m|h)/gy;
      let total = 0;
      let at = 0;
      for (let m = re.exec(s); m; m = re.exec(s)) {
        total += Number(m[1]) * units[m[2]];
        at = re.lastIndex;
      }
      return at === s.length && s.length > 0 ? total : null;
    };
    const atoms = ['0', '1', '15', '.', '.5', '2.', 'n', 's', 'ns', 'us', '\u00b5s', '\u03bcs', 'ms', 'm', 'h', '-', '+', ' '];
    const next = seededRandom(3);
    let valid = 0;
    for (let k = 0; k < 20000; k++) {
      const s = randomText(next, atoms, 6);
      const want = byPattern(s);
      expect(parseGoDuration(s), JSON.stringify(s)).toBe(want);
      if (want !== null) valid++;
    }
    expect(valid).toBeGreaterThan(100);
  });
  it('reads boolean flags as Go does', () => {
    for (const v of ['true', 'TRUE', 'True', 't', 'T', '1']) expect(parseGoFlags([`-log-to-stdout=${v}`])).toMatchObject({ 'log-to-stdout': true });
    for (const v of ['false', 'FALSE', 'False', 'f', 'F', '0']) expect(parseGoFlags([`--log-to-stdout=${v}`])).toMatchObject({ 'log-to-stdout': false });
  });
});

describe('what needs the network (fetch-offline)', () => {
  it('finds remote resources, tang without advertisement and custom pins that say so', () => {
    const c: Config = {
      ignition: { version: '3.7.0-experimental', config: { merge: [{ source: 'data:,{}' }, { source: 'https://x/y.ign' }] } },
      storage: {
        files: [
          { path: '/a', contents: { source: 'tftp://h/a' } },
          { path: '/b', contents: { source: 'data:,b' }, append: [{ source: 's3://bucket/k' }] },
        ],
        luks: [
          {
            name: 'l',
            device: '/dev/x',
            clevis: {
              tang: [
                { url: 'http://tang', thumbprint: 't' },
                { url: 'http://t2', thumbprint: 't', advertisement: '{}' },
              ],
            },
          },
          { name: 'm', device: '/dev/y', clevis: { custom: { pin: 'p', config: '{}', needsNetwork: true } } },
        ],
      },
    };
    expect(networkNeeds(c).map((n) => n.path.join('.'))).toEqual([
      'ignition.config.merge.1.source',
      'storage.files.0.contents.source',
      'storage.files.1.append.0.source',
      'storage.luks.0.clevis.tang.0',
      'storage.luks.1.clevis.custom.needsNetwork',
    ]);
    expect(networkNeeds({ ignition: { version: '3.6.0' }, storage: { files: [{ path: '/a', contents: { source: '' } }] } })).toEqual([]);
  });
});

describe('provenance across base configs', () => {
  it('maps a path into base+user to the user entry with the same identity', () => {
    const user = { storage: { files: [{ path: '/u1' }, { path: '/shared', mode: 1 }] } };
    const full = { storage: { files: [{ path: '/base' }, { path: '/shared', mode: 1 }, { path: '/u1' }] } };
    expect(userPath(full, user, ['storage', 'files', 2, 'path'])).toEqual(['storage', 'files', 0, 'path']);
    expect(userPath(full, user, ['storage', 'files', 1])).toEqual(['storage', 'files', 1]);
    expect(userPath(full, user, ['storage', 'files', 0])).toBeUndefined();
  });
});

describe('the failure report', () => {
  it('takes command, exit status and stderr from Ignition-style command errors, and redacts', () => {
    const e = new Error('failed adding kernel arguments: exit status 3: Cmd: "useradd" "--password" "$6$hash" "core" Stdout: "" Stderr: "useradd: boom\\n"');
    const r = describeFailure('files', e);
    expect(r).toMatchObject({ stage: 'files', command: 'useradd --password <redacted> core', exitStatus: 3, stderr: 'useradd: boom' });
    expect(JSON.stringify(r)).not.toContain('$6$hash');
  });
  it('keeps the operation, config path and YAML line of an operation error', () => {
    const e = new OpError('error creating file', { configPath: ['storage', 'files', 0], hint: 'set overwrite: true' });
    const r = describeFailure('files', e, () => ({ file: 'c.bu', line: 4, column: 7 }));
    expect(r).toMatchObject({ configPath: '$.storage.files.0', yaml: 'c.bu:4:7', hint: 'set overwrite: true' });
    expect(summarize(r)).toContain('c.bu:4:7');
  });
  it('names the failing source redacted and hints from the fetch error', () => {
    const e = new AcquireError('resource not found', 'https://REDACTED@h/c.ign', [], new FetchError('not-found', 'resource not found'));
    expect(describeFailure('fetch', e)).toMatchObject({ url: 'https://REDACTED@h/c.ign', hint: expect.stringContaining('404') });
  });
  it('scrubs credentials from any URL in a message', () => {
    expect(scrub('GET https://u:p@h/x?X-Amz-Signature=abc failed')).toBe('GET https://REDACTED@h/x?X-Amz-Signature=REDACTED failed');
  });
});

describe('the state file', () => {
  it('reads Ignition’s state, nulls included, and keeps unknown keys', () => {
    const s = parseState('{"fetchedConfigs":[{"kind":"base","source":"system","referenced":false}],"luksPersistKeyFiles":null,"future":1}');
    expect(s.fetchedConfigs).toHaveLength(1);
    expect((s as unknown as { future: number }).future).toBe(1);
    expect(() => parseState('[]')).toThrow(/not a JSON object/);
  });
});

describe('distro settings from the environment', () => {
  it('IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT=false writes keys where stock sshd reads them', async () => {
    const { pathsFromEnv } = await import('../../src/host/tools.js');
    expect(pathsFromEnv({ IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT: 'false' }).authorizedKeysFragment).toBe('.ssh/authorized_keys');
    expect(pathsFromEnv({ IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT: 'true' }).authorizedKeysFragment).toBeUndefined();
    expect(pathsFromEnv({})).toEqual({});
  });
});

describe('the failure report of a failed download', () => {
  it('names the source, redacted, as its url', () => {
    const op = { kind: 'write' as const, path: '/etc/app.conf', contents: { resource: { source: 'https://u:pw@h/app.conf?sig=xyz' } } };
    const r = describeFailure('files', new OpError('hash verification failed', { op, configPath: ['storage', 'files', 0] }));
    expect(r.url).toBe('https://REDACTED@h/app.conf?sig=REDACTED');
    expect(JSON.stringify(r)).not.toContain('pw@');
  });
});
