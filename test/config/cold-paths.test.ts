// Helpers rewritten without regular expressions for a cheaper cold start, held to the forms they
// replaced: the same names, the same errors, the same parse.
import { describe, expect, it } from 'vitest';
import { butaneName } from '../../src/model/spec.js';
import { checkDataUrl, decodeDataUrl } from '../../src/config/dataurl.js';
import { parseUnit } from '../../src/config/unitfile.js';
import { allDigits, isDigit, isHexDigit, isLetter } from '../../src/host/chars.js';
import { pathProblem } from '../../src/config/rules/paths.js';
import { templateOf } from '../../src/config/rules/systemd.js';
import { parseUrl } from '../../src/config/url.js';
import { parseSemver } from '../../src/model/versions.js';
import { underEtcOrVar } from '../../transpiler/sugar/mounts.js';
import { randomText, seededRandom } from '../support/random.js';

const thrown = (f: () => unknown) => {
  try {
    f();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('butaneName', () => {
  it('snake-cases as the global replace of ([a-z0-9])([A-Z]) did', () => {
    const byReplace = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    for (const n of ['httpHeaders', 'sshAuthorizedKeys', 'wipeTable', 'HTTPHeader', 'aBC', 'a1B', 'x', '', 'sizeMiB', 'passwordHash', 'aB_cD.eF'])
      expect(butaneName(n)).toBe(byReplace(n));
    const next = seededRandom(7);
    const alphabet = 'aZ0_B9.zA';
    for (let k = 0; k < 5000; k++) {
      const n = randomText(next, alphabet.split(''), 9);
      expect(butaneName(n)).toBe(byReplace(n));
    }
  });

  it("keeps a field's own Butane name", () => {
    expect(butaneName('sizeMiB', { type: 'integer', desc: '', butane: 'size_mib' })).toBe('size_mib');
  });
});

describe('checkDataUrl', () => {
  it('accepts and rejects what decodeDataUrl does, with the same message', () => {
    const parts = [
      'data:',
      ',',
      ';base64',
      ';charset=utf-8',
      'text/plain',
      '%',
      '%4',
      '%41',
      '%zz',
      'A',
      'AB',
      '==',
      '=',
      '\n',
      '\r',
      ' ',
      'x-',
      '"',
      'é',
      'QQ==',
    ];
    const next = seededRandom(11);
    let ok = 0;
    for (let k = 0; k < 20000; k++) {
      const s = (next() < 0.9 ? 'data:' : '') + randomText(next, parts, 7);
      const want = thrown(() => decodeDataUrl(s));
      expect(
        thrown(() => checkDataUrl(s)),
        JSON.stringify(s),
      ).toBe(want);
      if (!want) ok++;
    }
    expect(ok).toBeGreaterThan(100); // both outcomes are exercised
  });
});

describe('parseUnit', () => {
  it('reads whitespace outside ASCII as \\s does, and gives the same result for the same text twice', () => {
    const text = '[Unit]\n\u00a0\nDescription=x\n[Service]\n ExecStart=/bin/true\n';
    const first = parseUnit(text);
    expect(first).toEqual({
      options: [
        { section: 'Unit', name: 'Description', value: 'x' },
        { section: 'Service', name: 'ExecStart', value: '/bin/true' },
      ],
    });
    expect(parseUnit('[Unit]\nbad')).toEqual({ error: 'EOF' });
    expect(parseUnit(text)).toEqual(first);
  });
});

describe('character tests', () => {
  it('accept what the bracket expressions they replaced match', () => {
    const pairs: [(c: number) => boolean, RegExp][] = [
      [isDigit, /^[0-9]$/],
      [isLetter, /^[A-Za-z]$/],
      [isHexDigit, /^[0-9A-Fa-f]$/],
    ];
    for (const [test, re] of pairs) {
      for (let c = 0; c < 0x10000; c++) expect(test(c), `${re} ${c}`).toBe(re.test(String.fromCharCode(c)));
      expect(test(NaN)).toBe(false);
    }
    expect(allDigits('a0123', 1)).toBe(true);
    expect(allDigits('012a')).toBe(false);
    expect(allDigits('')).toBe(true);
  });
});

describe('checks rewritten as loops', () => {
  const next = seededRandom(29);

  it('pathProblem finds the unclean segments /\/\/|\/\.\.?(\/|$)/ found', () => {
    const byRegex = (p: string) =>
      !p
        ? 'path not specified'
        : !p.startsWith('/')
          ? 'path not absolute'
          : p.length > 1 && (p.endsWith('/') || /\/\/|\/\.\.?(\/|$)/.test(p))
            ? 'path is not fully simplified'
            : undefined;
    for (let k = 0; k < 20000; k++) {
      const p = randomText(next, ['/', '.', '..', 'a', 'b.', '.c', '...'], 8);
      expect(pathProblem(p), JSON.stringify(p)).toBe(byRegex(p));
    }
  });

  it('templateOf finds the template /^(.+?)@(.+?)\.service$/ found', () => {
    const byRegex = (u: string) => {
      const m = /^(.+?)@(.+?)\.service$/.exec(u);
      return m ? `${m[1]}@.service` : undefined;
    };
    for (let k = 0; k < 20000; k++) {
      const u = randomText(next, ['@', 'a', '.service', '.', 'service', '\n', '\r', '\u2028', 'x@'], 6);
      expect(templateOf(u), JSON.stringify(u)).toBe(byRegex(u));
    }
  });

  it('parseUrl reads the scheme, escapes and controls as the patterns did', () => {
    const atoms = ['a', 'Z', '9', '+', '.', '-', ':', '/', '%', '%4', '%41', '%g1', 'h', '\x01', '\x7f', 'é', '?', '#'];
    let accepted = 0;
    for (let k = 0; k < 20000; k++) {
      const s = randomText(next, atoms, 8);
      const r = parseUrl(s);
      if (/[\x00-\x1f\x7f]/.test(s)) expect(r, JSON.stringify(s)).toBeUndefined();
      if (!r) continue;
      accepted++;
      const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(s.split('#')[0]);
      expect(r.scheme, JSON.stringify(s)).toBe(m ? m[1].toLowerCase() : '');
      // Escapes are checked outside the query (Go's url.Parse leaves the query to url.ParseQuery)
      // and an opaque part.
      if (r.opaque) continue;
      const hash = s.indexOf('#');
      const checked = (hash < 0 ? s : s.slice(0, hash)).split('?')[0] + (hash < 0 ? '' : s.slice(hash + 1));
      expect(/%(?![0-9A-Fa-f]{2})/.test(checked), JSON.stringify(s)).toBe(false);
    }
    expect(accepted).toBeGreaterThan(1000);
    for (const [s, ok] of [
      ['http://h/%41', true],
      ['http://h/%4', false],
      ['http://h/%zz', false],
      ['http://h:80/', true],
      ['http://h:8x/', false],
      ['http://[::1]:8/', true],
      ['http://[::1]:x/', false],
      ['http://h%25/', true],
      ['http://h^/', false],
      ['http://hé/', true],
    ] as const)
      expect(parseUrl(s) !== undefined, s).toBe(ok);
  });

  it('parseSemver takes digits as /^\d+$/ did', () => {
    for (let k = 0; k < 5000; k++) {
      const parts = [0, 1, 2].map(() => randomText(next, ['0', '7', '9', 'a', '/', ':', ' '], 4));
      const s = parts.join('.');
      const want = parts.every((p) => /^\d+$/.test(p));
      expect(parseSemver(s) !== undefined, JSON.stringify(s)).toBe(want);
    }
  });

  it('underEtcOrVar is /^\/(etc|var)(\/|$)/', () => {
    for (let k = 0; k < 5000; k++) {
      const p = randomText(next, ['/', 'etc', 'var', 'e', 'tc', 'x', 'varx'], 4);
      expect(underEtcOrVar(p), JSON.stringify(p)).toBe(/^\/(etc|var)(\/|$)/.test(p));
    }
  });
});
