// Butane's data URL encoding for inline and local resources: the shortest of percent-escaping,
// base64, and gzip+base64 (the gzip candidate costs 4 more characters for `"gzip"`); ties keep the
// uncompressed form, and percent-escaping wins a tie with base64. The gzip bytes are Go's (see
// goflate.ts), so both the choice and the bytes match Butane.
import { goGzip, goGzipLengthAtLeast, goGzipLengthBelowMatches } from './goflate.js';
import { base64 } from '../../src/host/utf8.js';

// RFC 2396 unreserved characters stay as they are; every other byte becomes %XX. (A test, not a
// table filled at start-up: top-level code runs without inline caches, and a table filled from a
// string cost every start 71 slow property lookups.)
const unreserved = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46 || c === 33 || c === 126 || (c >= 39 && c <= 42);
const HEX = '0123456789ABCDEF';

export function percentEscape(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    out += unreserved(byte) ? String.fromCharCode(byte) : '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

export interface Encoded {
  source: string;
  gzip: boolean;
}

export function encodeDataUrl(data: Uint8Array, allowCompression: boolean): Encoded {
  const pct = 'data:,' + percentEscape(data);
  const b64 = 'data:;base64,' + base64(data);
  const plain = b64.length < pct.length ? b64 : pct;
  if (!allowCompression) return { source: plain, gzip: false };
  // Bounds first, cheapest first: no gzip member is shorter than its 18 framing bytes plus a 2-byte
  // stream, and a small input's member no shorter than goGzipLengthBelowMatches says (one pass,
  // matches not found) nor than goGzipLengthAtLeast says (matches found, sized without being made).
  const plainLen = plain.length;
  // A gzip member of at least `bytes` makes a data URL no shorter than the plain one.
  const loses = (bytes: number | undefined) => bytes !== undefined && 'data:;base64,'.length + Math.ceil(bytes / 3) * 4 + 4 >= plainLen;
  if (loses(18 + 2) || loses(goGzipLengthBelowMatches(data)) || loses(goGzipLengthAtLeast(data))) return { source: plain, gzip: false };
  const gz = 'data:;base64,' + base64(goGzip(data));
  if (gz.length + 4 < plainLen) return { source: gz, gzip: true };
  return { source: plain, gzip: false };
}
