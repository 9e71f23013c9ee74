// Helpers rewritten without regular expressions for a cheaper cold start, held to the forms they
// replaced: the same names, the same errors, the same parse.
import { describe, expect, it } from 'vitest';
import { butaneName } from '../../src/model/spec.js';
import { checkDataUrl, decodeDataUrl } from '../../src/config/dataurl.js';
import { parseUnit } from '../../src/config/unitfile.js';
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
