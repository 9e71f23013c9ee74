// Virtual paths, held to their definitions: components are the non-empty, non-"." parts between
// slashes; cleanVirtual applies them from "/", ".." clamped at the top.
import { describe, expect, it } from 'vitest';
import { cleanVirtual, components } from '../../../src/stages/files/vpath.js';
import { randomText, seededRandom } from '../../support/random.js';

const byDefinition = (p: string) => p.split('/').filter((c) => c !== '' && c !== '.');
const cleanByDefinition = (p: string) => {
  const out: string[] = [];
  for (const c of byDefinition(p)) {
    if (c === '..') out.pop();
    else out.push(c);
  }
  return '/' + out.join('/');
};

describe('virtual paths', () => {
  it('split and clean as defined, on every mix of names, dots and slashes', () => {
    const atoms = ['/', '//', 'a', 'bc', '.', '..', '...', '.a', 'a.', '..b'];
    const next = seededRandom(1);
    for (let k = 0; k < 20000; k++) {
      const p = randomText(next, atoms, 8, () => (next() < 0.5 ? '/' : ''));
      expect(components(p), p).toEqual(byDefinition(p));
      expect(cleanVirtual(p), p).toBe(cleanByDefinition(p));
    }
  });

  it('gives a clean path back as it is', () => {
    for (const p of ['/', '/etc', '/etc/a.b/..c/...', '/.x/y.']) expect(cleanVirtual(p)).toBe(p);
    expect(cleanVirtual('/etc/')).toBe('/etc');
    expect(cleanVirtual('/etc/./x/../y')).toBe('/etc/y');
    expect(cleanVirtual('etc//x')).toBe('/etc/x');
    expect(cleanVirtual('/../..')).toBe('/');
  });
});
