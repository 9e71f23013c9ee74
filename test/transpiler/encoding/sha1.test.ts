// The network section's UUIDs hash with a SHA-1 of our own (node:crypto costs a cold transpile too
// much to load): it must give node:crypto's digest for every input.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1 } from '../../../transpiler/encoding/sha1.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const nodeSha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex');

describe('sha1', () => {
  it("gives FIPS 180's examples and node:crypto's digest at every block boundary", () => {
    expect(hex(sha1(Buffer.from('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(new Uint8Array(0)))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    for (let n = 0; n <= 200; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 255);
      expect(hex(sha1(data)), `${n} bytes`).toBe(nodeSha1(data));
    }
  });

  it("gives node:crypto's digest for random inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1000 }), (data) => {
        expect(hex(sha1(data))).toBe(nodeSha1(data));
      }),
      { numRuns: 500 },
    );
  });
});
