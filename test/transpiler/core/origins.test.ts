import { describe, expect, it } from 'vitest';
import { Origins, type Origin } from '../../../transpiler/core/decode.js';

const at = (n: number): Origin => ({ yamlPath: [], value: [n, n] });

describe('Origins.nearest', () => {
  const o = new Origins();
  o.set([], at(0));
  o.set(['storage'], at(1));
  o.set(['storage', 'files', 10], at(2));
  o.set(['odd\u001fkey'], at(3));

  it('finds the path itself, else its nearest recorded ancestor', () => {
    expect(o.nearest(['storage', 'files', 10])).toEqual({ origin: at(2), exact: true });
    expect(o.nearest(['storage', 'files', 10, 'contents', 'source'])).toEqual({ origin: at(2), exact: false });
    // 1 is not a prefix of 10: the ancestor is cut by segment, not by character.
    expect(o.nearest(['storage', 'files', 1])).toEqual({ origin: at(1), exact: false });
    expect(o.nearest(['passwd', 'users', 0])).toEqual({ origin: at(0), exact: false });
    expect(o.nearest([])).toEqual({ origin: at(0), exact: true });
  });

  it('cuts by the segments, even one that holds the key separator', () => {
    expect(o.nearest(['odd\u001fkey', 'x'])).toEqual({ origin: at(3), exact: false });
    expect(o.nearest(['storage', 'a\u001fb'])).toEqual({ origin: at(1), exact: false });
    expect(new Origins().nearest(['a', 'b'])).toBeUndefined();
  });
});
