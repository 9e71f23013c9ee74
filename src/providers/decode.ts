// Undoing the platforms' own encodings of user data, with Go's strictness and error texts (Node's
// base64 decoder silently skips garbage; Go's refuses it, and users grep for its message). Pure.
import { gunzipSync } from 'node:zlib';

const B64 = /[A-Za-z0-9+/]/;

/**
 * Go's `base64.StdEncoding.DecodeString`: padded standard alphabet, CR and LF ignored, anything else
 * is `illegal base64 data at input byte N`.
 */
export function decodeBase64(input: Buffer | string): Buffer {
  const s = typeof input === 'string' ? input : input.toString('latin1');
  const chars: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\r' || c === '\n') continue;
    chars.push(c);
    at.push(i);
  }
  const bad = (k: number) => new Error(`illegal base64 data at input byte ${k < at.length ? at[k] : s.length}`);
  for (let k = 0; k < chars.length; k += 4) {
    const quad = chars.slice(k, k + 4);
    for (let j = 0; j < quad.length; j++) {
      const c = quad[j];
      if (B64.test(c)) continue;
      // '=' may end the last quantum only: "xx==" or "xxx="
      const padOk = c === '=' && j >= 2 && k + 4 === chars.length && quad.slice(j).every((p) => p === '=');
      if (!padOk) throw bad(k + j);
      break;
    }
    if (quad.length < 4) throw bad(k); // Go blames the start of an unfinished quantum
  }
  return Buffer.from(chars.join(''), 'base64');
}

/** Whether Go's http.DetectContentType would call this gzip (magic 1f 8b 08). */
export function looksGzipped(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
}

/** Gunzips with Go's error texts (`gzip: invalid header`, `unexpected EOF`). */
export function gunzip(b: Buffer): Buffer {
  if (b.length < 10 || b[0] !== 0x1f || b[1] !== 0x8b) throw new Error(b.length === 0 ? 'EOF' : 'gzip: invalid header');
  try {
    return gunzipSync(b);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') throw new Error('unexpected EOF');
    if (code === 'Z_DATA_ERROR') throw new Error(/check/i.test((e as Error).message) ? 'gzip: invalid checksum' : 'flate: corrupt input');
    throw e;
  }
}

/** Ignition's util.TryUnzip: gunzip only what sniffs as gzip. */
export function tryGunzip(b: Buffer): Buffer {
  return looksGzipped(b) ? gunzip(b) : b;
}

/** Drops NUL padding at the end (and at the start unless `endOnly`), as Go's bytes.Trim does. */
export function trimNuls(b: Buffer, endOnly = false): Buffer {
  let start = 0;
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  if (!endOnly) while (start < end && b[start] === 0) start++;
  return b.subarray(start, end);
}
