// Splitting an initrd into its archives. An initrd is a concatenation of cpio archives, each plain
// or compressed (gzip, xz, zstd, as coreos-installer reads them), separated by zero padding. To
// read past a compressed archive we need where its stream ends: gzip through zlib's count of
// consumed bytes, xz and zstd by walking their framing. Decompression itself of xz and zstd is
// delegated (`Codecs`), since Node has no decoder for them.
import { inflateRawSync } from 'node:zlib';

export type Compression = 'none' | 'gzip' | 'xz' | 'zstd';

export interface Codecs {
  /** Decompresses one complete xz stream. */
  unxz(data: Buffer): Buffer;
  /** Decompresses one or more complete zstd frames. */
  unzstd(data: Buffer): Buffer;
}

export class InitrdFormatError extends Error {}

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const ZSTD_MAGIC = 0xfd2fb528;

export function detect(buf: Buffer, at: number): Compression {
  if (buf[at] === 0x1f && buf[at + 1] === 0x8b) return 'gzip';
  if (buf.subarray(at, at + 6).equals(XZ_MAGIC)) return 'xz';
  if (at + 4 <= buf.length && buf.readUInt32LE(at) === ZSTD_MAGIC) return 'zstd';
  return 'none';
}

/** One compressed segment: its decompressed bytes and the offset just past it. */
export function decompressAt(buf: Buffer, at: number, kind: Exclude<Compression, 'none'>, codecs: Codecs): { data: Buffer; end: number } {
  switch (kind) {
    case 'gzip':
      return gunzipMember(buf, at);
    case 'xz': {
      const end = xzStreamEnd(buf, at);
      return { data: codecs.unxz(buf.subarray(at, end)), end };
    }
    case 'zstd': {
      const end = zstdFramesEnd(buf, at);
      return { data: codecs.unzstd(buf.subarray(at, end)), end };
    }
  }
}

/** RFC 1952: header (with its optional fields), raw deflate, then CRC32 and size (8 bytes). */
function gunzipMember(buf: Buffer, at: number): { data: Buffer; end: number } {
  const flags = buf[at + 3];
  if (buf[at + 2] !== 8) throw new InitrdFormatError(`gzip stream at byte ${at} does not use deflate`);
  let p = at + 10;
  if (flags & 4) p += 2 + buf.readUInt16LE(p); // FEXTRA
  const skipString = () => {
    const nul = buf.indexOf(0, p);
    if (nul < 0) throw new InitrdFormatError(`gzip header at byte ${at} is truncated`);
    p = nul + 1;
  };
  if (flags & 8) skipString(); // FNAME
  if (flags & 16) skipString(); // FCOMMENT
  if (flags & 2) p += 2; // FHCRC
  try {
    const r = inflateRawSync(buf.subarray(p), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { data: r.buffer, end: p + r.engine.bytesWritten + 8 };
  } catch (e) {
    throw new InitrdFormatError(`gzip stream at byte ${at}: ${(e as Error).message}`);
  }
}

/**
 * An xz stream ends with a 12-byte footer: CRC32 of the next 6 bytes, backward size, flags, "YZ".
 * Footers are 4-byte aligned within the stream; the first one whose CRC matches ends it.
 */
export function xzStreamEnd(buf: Buffer, at: number): number {
  for (let p = at + 12 + 12; p <= buf.length; p += 4) {
    if (buf[p - 2] !== 0x59 || buf[p - 1] !== 0x5a) continue;
    if (crc32(buf.subarray(p - 8, p - 2)) === buf.readUInt32LE(p - 12)) return p;
  }
  throw new InitrdFormatError(`xz stream at byte ${at} has no footer (truncated?)`);
}

/** zstd frames (RFC 8878): header, then blocks with explicit sizes, then an optional checksum. */
export function zstdFramesEnd(buf: Buffer, at: number): number {
  let p = at;
  while (p + 4 <= buf.length) {
    const magic = buf.readUInt32LE(p);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // skippable frame
      p += 8 + buf.readUInt32LE(p + 4);
      continue;
    }
    if (magic !== ZSTD_MAGIC) break;
    const fhd = buf[p + 4];
    const fcsFlag = fhd >> 6;
    const single = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictFlag = fhd & 3;
    const fcsSize = [single ? 1 : 0, 2, 4, 8][fcsFlag];
    p += 5 + (single ? 0 : 1) + [0, 1, 2, 4][dictFlag] + fcsSize;
    for (;;) {
      if (p + 3 > buf.length) throw new InitrdFormatError(`zstd frame at byte ${at} is truncated`);
      const bh = buf[p] | (buf[p + 1] << 8) | (buf[p + 2] << 16);
      const last = bh & 1;
      const type = (bh >> 1) & 3;
      const size = bh >>> 3;
      p += 3 + (type === 1 ? 1 : size);
      if (type === 3) throw new InitrdFormatError(`zstd frame at byte ${at} has a reserved block type`);
      if (last) break;
    }
    if (checksum) p += 4;
    if (p > buf.length) throw new InitrdFormatError(`zstd frame at byte ${at} is truncated`);
  }
  if (p === at) throw new InitrdFormatError(`no zstd frame at byte ${at}`);
  return p;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
