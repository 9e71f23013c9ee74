// binaryKind's verdict: the first 8 KB hold a NUL, or more C0 controls (other than tab, LF and CR)
// than a text with typos would. Its quick look for any such byte must never change the verdict.
import { describe, expect, it } from 'vitest';
import { binaryKind } from '../../src/input/text.js';

/** The verdict by counting, as the rule says. */
function byCounting(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let controls = 0;
  let nul = false;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) nul = true;
    if (bytes[i] < 0x20 && bytes[i] !== 0x09 && bytes[i] !== 0x0a && bytes[i] !== 0x0d) controls++;
  }
  return nul || controls > Math.max(8, n / 20);
}

const text = (s: string) => new TextEncoder().encode(s);

describe('binaryKind', () => {
  it('passes text: ASCII, UTF-8, tabs and both line ends, a few stray controls', () => {
    for (const s of ['variant: fcos\nversion: 1.6.0\n', '{"ignition":{"version":"3.5.0"}}', 'a:\tb\r\nc: é ü 漢字\n', 'x\x01y\x1bz\x7f\n'])
      expect(binaryKind(text(s))).toBeUndefined();
  });

  it('names binary data by its magic number, or as binary data', () => {
    expect(binaryKind(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]))).toBe('gzip-compressed');
    expect(binaryKind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBe('an ELF program');
    expect(binaryKind(text('looks like text\0but is not'))).toBe('binary data');
    expect(binaryKind(text('\x01\x02\x03\x04\x05\x06\x07\x08\x0b'))).toBe('binary data');
  });

  it('looks at the first 8 KB only', () => {
    const late = new Uint8Array(9000).fill(0x61);
    late[8500] = 0;
    expect(binaryKind(late)).toBeUndefined();
    late[8000] = 0;
    expect(binaryKind(late)).toBe('binary data');
  });

  it('agrees with counting on random inputs, controls sprinkled at every density', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    for (let round = 0; round < 400; round++) {
      const bytes = new Uint8Array(1 + Math.floor(rand() * 3000));
      const density = rand() * 0.2;
      for (let i = 0; i < bytes.length; i++) bytes[i] = rand() < density ? Math.floor(rand() * 0x20) : 0x20 + Math.floor(rand() * 0xe0);
      expect(binaryKind(bytes) !== undefined).toBe(byCounting(bytes));
    }
  });
});
