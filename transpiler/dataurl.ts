// Butane's data URL encoding for inline and local resources: the shortest of percent-escaping,
// base64, and gzip+base64 (the gzip candidate costs 4 more characters for `"gzip"`); ties keep the
// uncompressed form, and percent-escaping wins a tie with base64.
import { constants, deflateRawSync, crc32 } from 'node:zlib';

// RFC 2396 unreserved characters stay as they are; every other byte becomes %XX.
const UNRESERVED = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*\'()') UNRESERVED[c.charCodeAt(0)] = 1;
const HEX = '0123456789ABCDEF';

export function percentEscape(data: Uint8Array): string {
  let out = '';
  for (const byte of data) {
    out += byte < 128 && UNRESERVED[byte] ? String.fromCharCode(byte) : '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}

/**
 * gzip as Go's compress/gzip writes it at level 9: header with mtime 0, XFL 2, OS 255, then a
 * deflate stream that ends in a final empty stored block. zlib's token choices are close to Go's;
 * the framing (sync-flushed data, then the final block) is Go's, so lengths agree in most cases.
 */
export function gzipLikeGo(data: Uint8Array): Buffer {
  const body = deflateRawSync(data, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data) >>> 0, 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  // zlib's sync flush ends with an empty non-final stored block; Go's ends with a final one. Append
  // a final empty fixed block so the stream terminates (2 bytes longer than Go's).
  return Buffer.concat([header, body, Buffer.from([3, 0]), trailer]);
}

/** Length Go's encoder would produce for the gzip candidate (its framing has no extra block). */
const goLength = (gz: Buffer) => gz.length - 2;

export interface Encoded {
  source: string;
  gzip: boolean;
}

export function encodeDataUrl(data: Uint8Array, allowCompression: boolean): Encoded {
  const pct = 'data:,' + percentEscape(data);
  const b64 = 'data:;base64,' + Buffer.from(data).toString('base64');
  const plain = b64.length < pct.length ? b64 : pct;
  if (!allowCompression) return { source: plain, gzip: false };
  const gz = gzipLikeGo(data);
  const gzLen = 'data:;base64,'.length + Math.ceil(goLength(gz) / 3) * 4;
  if (gzLen + 4 < plain.length) return { source: 'data:;base64,' + gz.toString('base64'), gzip: true };
  return { source: plain, gzip: false };
}
