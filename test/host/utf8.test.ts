// The native UTF-8 and base64 helpers give what Buffer gives, on random text (ASCII, two-, three-
// and four-byte characters, lone surrogates) and random bytes (invalid UTF-8 included).
import { describe, expect, it } from 'vitest';
import { base64, utf8Bytes, utf8Length, utf8Text } from '../../src/host/utf8.js';
import { randomText, seededRandom } from '../support/random.js';

const ATOMS = ['a', 'Z', '0', ' ', '\n', '\0', '%', 'é', 'ß', '\u07ff', '\u0800', '€', '\uffff', '😀', '\ud83d', '\ude00', '\ud800\ud800', '\udfff\ud800'];

describe('utf8 helpers', () => {
  it('encode text as Buffer.from and Buffer.byteLength do', () => {
    const next = seededRandom(29);
    for (let i = 0; i < 5000; i++) {
      const text = randomText(next, ATOMS, 40);
      const want = Buffer.from(text, 'utf8');
      expect(utf8Length(text)).toBe(want.length);
      expect(Buffer.from(utf8Bytes(text)).equals(want)).toBe(true);
      expect(base64(utf8Bytes(text))).toBe(want.toString('base64'));
    }
  });

  it('decode bytes as buffer.toString does, invalid UTF-8 and ranges included', () => {
    const next = seededRandom(30);
    for (let i = 0; i < 5000; i++) {
      const bytes = new Uint8Array(Math.floor(next() * 24));
      for (let k = 0; k < bytes.length; k++) bytes[k] = next() < 0.5 ? 0x20 + Math.floor(next() * 95) : Math.floor(next() * 256);
      const buf = Buffer.from(bytes);
      expect(utf8Text(bytes)).toBe(buf.toString('utf8'));
      const start = Math.floor(next() * (bytes.length + 1));
      const end = start + Math.floor(next() * (bytes.length - start + 1));
      expect(utf8Text(bytes, start, end)).toBe(buf.toString('utf8', start, end));
      expect(base64(bytes)).toBe(buf.toString('base64'));
    }
  });

  it('work on a view into a larger array', () => {
    const all = utf8Bytes('xx€yy');
    const view = all.subarray(2, 5);
    expect(utf8Text(view)).toBe('€');
    expect(base64(view)).toBe(Buffer.from('€').toString('base64'));
  });
});
