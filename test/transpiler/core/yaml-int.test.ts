// Integers as Butane reads them (yaml.v3 into a Go int): parseYamlInt reads plain digits on a fast
// path and everything else through the general one; the two agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseYamlInt } from '../../../transpiler/core/decode.js';

describe('parseYamlInt', () => {
  it('reads the forms Go accepts', () => {
    const cases: [string, number | undefined][] = [
      ['0', 0],
      ['644', 644],
      ['0644', 0o644],
      ['0755', 0o755],
      ['00', 0],
      ['1_000', 1000],
      ['0x1F', 31],
      ['0o17', 15],
      ['0b101', 5],
      ['-5', -5],
      ['+7', 7],
      ['1.9', 1],
      ['1e3', 1000],
      ['123456789012345', 123456789012345],
      ['9223372036854775807', 9223372036854775807],
      ['9223372036854775808', undefined],
      ['abc', undefined],
      ['', undefined],
    ];
    for (const [src, want] of cases) expect(parseYamlInt(src), src).toBe(want);
  });

  it('reads plain digits as the general path does (a sign sends a text there)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,17}$/), (digits) => {
        expect(parseYamlInt(digits)).toBe(parseYamlInt(`+${digits}`));
      }),
      { numRuns: 2000 },
    );
  });
});
