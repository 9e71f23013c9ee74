import { describe, expect, it } from 'vitest';
import { childPath, joinPath } from '../../src/diag/config-path.js';

describe('config paths', () => {
  it('extends a path by one or two segments, leaving it as it was', () => {
    const p: (string | number)[] = ['storage', 'files'];
    expect(childPath(p, 0)).toEqual(['storage', 'files', 0]);
    expect(childPath(p, 0, 'contents')).toEqual(['storage', 'files', 0, 'contents']);
    expect(childPath([], 'passwd')).toEqual(['passwd']);
    expect(p).toEqual(['storage', 'files']);
    expect(childPath(p, 1)).not.toBe(p);
  });

  it('keeps a segment that is an empty string or zero', () => {
    expect(childPath<string | number>(['a'], '', 0)).toEqual(['a', '', 0]);
  });

  it('joins two paths into a new one', () => {
    const a = [0, 'x'];
    const b = ['y', 1];
    expect(joinPath(a, b)).toEqual([0, 'x', 'y', 1]);
    expect(joinPath([], b)).toEqual(['y', 1]);
    expect(joinPath(a, [])).toEqual([0, 'x']);
    expect(joinPath(a, [])).not.toBe(a);
  });
});
