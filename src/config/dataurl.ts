// RFC 2397 data URLs with the acceptance rules of the library Ignition validates and fetches them
// with (github.com/vincent-petithory/dataurl): a case-sensitive `data:` prefix, a media type of
// text/image/audio/video/application/message/multipart or x- tokens, `;attr=value` parameters
// with `;base64` last, then data of URL characters only (no spaces, quotes, braces... those must be
// percent-escaped) or of base64 characters and line feeds with Go's strict padding. Errors carry
// the library's words.
import { gunzipSync } from 'node:zlib';
import { isHexDigit } from '../host/chars.js';

export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: Buffer;
}

class DataUrlError extends Error {}

const TSPECIALS = new Set(['(', ')', '<', '>', '@', ',', ';', ':', '\\', '"', '/', '[', ']', '?', '=']);
const SPACES = new Set(['\t', '\n', '\v', '\f', '\r', ' ']);
const isAscii = (c: string) => c.length === 1 && c.charCodeAt(0) <= 0x7f;
const isControl = (c: string) => c.charCodeAt(0) <= 0x1f || c.charCodeAt(0) === 0x7f;
const isToken = (c: string) => isAscii(c) && !isControl(c) && !SPACES.has(c) && !TSPECIALS.has(c);
const DISCRETE = ['text', 'image', 'audio', 'video', 'application', 'message', 'multipart'];
// Patterns, not loops: the data is most of a URL, and a pattern scans it many times faster than
// JavaScript that runs once (src/host/chars.ts is for the short strings).
/** The data after the comma: URL characters (ASCII, no controls, none of the unwise ones), or base64 characters and line feeds. */
const URL_DATA = /^[!$-;=?-Z_a-z~]*$/;
const BASE64_DATA = /^[A-Za-z0-9+/=\n]*$/;
/** Base64 (of a length divisible by 4) whose only padding ends it, as Go requires. */
const WELL_PADDED = /^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The parts of a data URL, following the library's lexer state by state. It reads by code point,
 * like Go's rune decoding; the data (most of a URL) is checked in one pass, as the lexer's only
 * verdict on it is whether every character is allowed.
 */
function lex(s: string): { type: string; params: [string, string][]; base64: boolean; data: string } {
  const fail = (msg: string): never => {
    throw new DataUrlError(msg);
  };
  if (!s.startsWith('data:')) fail('missing data prefix');
  let pos = 'data:'.length; // an index into s; every character the lexer steps back over is ASCII
  const next = (): string | undefined => {
    if (pos >= s.length) return undefined;
    const c = String.fromCodePoint(s.codePointAt(pos)!);
    pos += c.length;
    return c;
  };
  const peekBack = () => pos--;
  const text = (from: number) => s.slice(from, pos);
  let type = '';
  const params: [string, string][] = [];
  let base64 = false;

  // Media type: `type/subtype`, or nothing.
  let c = next();
  if (c === ';' || c === ',') {
    peekBack();
  } else if (c === undefined) {
    fail('missing comma before data');
  } else if (c === 'x' || c === 'X' || isToken(c)) {
    const start = pos - 1;
    // `x-` types are tokens of any name; the others must name a known top-level type. (The
    // character after an `x` that is not `-` is consumed unchecked, as in the library.)
    const xToken = (c === 'x' || c === 'X') && next() === '-';
    for (;;) {
      const r = next();
      if (r === '/') break;
      if (r === undefined) fail('missing media type slash');
      if (!isToken(r!)) fail('invalid character for media type');
    }
    peekBack();
    const main = text(start);
    if (!xToken && !DISCRETE.some((d) => main.startsWith(d))) fail('invalid media type');
    next(); // the slash
    const sub = pos;
    for (;;) {
      const r = next();
      if (r === ';' || r === ',') break;
      if (r === undefined) fail('incomplete media type');
      if (!isToken(r!)) fail('invalid character for media subtype');
    }
    peekBack();
    type = `${main}/${text(sub)}`;
  } else fail('invalid character after data prefix');

  // Parameters, `;base64` last.
  for (;;) {
    c = next();
    if (c === ',') break;
    if (c === undefined) fail('missing comma before data');
    if (c !== ';') fail('expected semicolon or comma');
    const first = next();
    if (first === undefined || first === '=' || first === ',') fail('unterminated parameter sequence');
    if (!isToken(first!)) fail('invalid character for parameter attribute');
    const attrStart = pos - 1;
    let r: string | undefined;
    for (;;) {
      r = next();
      if (r === '=' || r === ',') break;
      if (r === undefined) fail('unterminated parameter sequence');
      if (!isToken(r!)) fail('invalid character for parameter attribute');
    }
    peekBack();
    const attr = text(attrStart);
    if (r === ',') {
      if (attr !== 'base64') fail(`expected base64, got ${attr}`);
      base64 = true;
      next();
      break;
    }
    next(); // '='
    const v = next();
    let value: string;
    if (v === '"') {
      const start = pos;
      for (;;) {
        const q = next();
        if (q === undefined) fail('unclosed quoted string');
        if (q === '"') break;
        if (q === '\\') {
          const e = next();
          if (e !== undefined && !isAscii(e)) fail('invalid escaped character');
          if (e === undefined) fail('unclosed quoted string');
        } else if (!isAscii(q!)) fail('invalid character for parameter value');
      }
      value = unquote(s.slice(start, pos - 1));
    } else {
      if (v === undefined) fail('missing comma before data');
      if (!isToken(v!)) fail('invalid character for parameter value');
      const start = pos - 1;
      for (;;) {
        const q = next();
        if (q === ';' || q === ',') break;
        if (q === undefined) fail('missing comma before data');
        if (!isToken(q!)) fail('invalid character for parameter value');
      }
      peekBack();
      value = percentDecode(text(start)).toString('latin1');
    }
    params.push([attr, value]);
  }

  const data = s.slice(pos);
  if (!(base64 ? BASE64_DATA : URL_DATA).test(data)) fail('invalid data character');
  return { type, params, base64, data };
}

/** strconv.Unquote of a quoted parameter value (the common escapes). */
function unquote(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    throw new DataUrlError('invalid syntax');
  }
}

/** RFC 2396 unescaping of the library: ASCII only, `%XX` escapes. */
function percentDecode(s: string): Buffer {
  if (!s.includes('%') && ASCII.test(s)) return Buffer.from(s, 'latin1');
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c > 0x7f) throw new DataUrlError('rfc2396: non-ASCII char detected');
    if (c !== 0x25) {
      out[n++] = c;
      continue;
    }
    checkEscape(s, k);
    out[n++] = parseInt(s.slice(k + 1, k + 3), 16);
    k += 2;
  }
  return out.subarray(0, n);
}

/** Throws the library's error when the `%` at `k` does not start an `%XX` escape. */
function checkEscape(s: string, k: number): void {
  for (let d = k + 1; d <= k + 2; d++) {
    if (d >= s.length) throw new DataUrlError('rfc2396: unexpected end of unescape sequence');
    if (!isHexDigit(s.charCodeAt(d))) throw new DataUrlError('rfc2396: invalid char 0x25 in unescape sequence');
  }
}

/** The base64 text of a data URL without its line breaks, checked as Go's decoder checks it. */
function base64Text(s: string): string {
  const t = s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, '') : s;
  const bad = base64Problem(t);
  if (bad !== undefined) throw new DataUrlError(`illegal base64 data at input byte ${bad}`);
  return t;
}

/** Where Go's decoder gives up (an incomplete group is reported at its start), or undefined. */
function base64Problem(t: string): number | undefined {
  if (t.length % 4 === 0 && WELL_PADDED.test(t)) return undefined;
  for (let i = 0; i < t.length; i += 4) {
    const group = t.slice(i, i + 4);
    const pad = group.indexOf('=');
    if (pad === 0 || pad === 1) return i + pad;
    if (pad >= 2 && (group.slice(pad) !== '='.repeat(4 - pad) || i + 4 < t.length)) return i + pad;
    if (pad < 0 && group.length < 4) return i;
  }
  return undefined;
}

/** Decodes a data URL; throws an Error with the library's reason when it is malformed. */
export function decodeDataUrl(s: string): DataUrl {
  const p = lex(s);
  const data = p.base64 ? Buffer.from(base64Text(p.data), 'base64') : percentDecode(p.data);
  const params = p.params.map(([k, v]) => `;${k}=${v}`).join('');
  const mediaType = p.type ? `${p.type}${params}` : p.params.length ? `text/plain${params}` : 'text/plain;charset=US-ASCII';
  return { mediaType, base64: p.base64, data };
}

/**
 * Checks a data URL; throws like decodeDataUrl, without making the bytes (the data of a valid URL is
 * ASCII, so only its escapes can fail).
 */
export function checkDataUrl(s: string): void {
  const p = lex(s);
  if (p.base64) base64Text(p.data);
  else for (let k = p.data.indexOf('%'); k >= 0; k = p.data.indexOf('%', k + 3)) checkEscape(p.data, k);
}

/**
 * The bytes a resource holds inline: its data URL decoded and, when its compression says gzip,
 * gunzipped. Undefined when the source is not a data URL, does not decode, or names another
 * compression.
 */
export function inlineBytes(res: { source?: unknown; compression?: unknown }): Buffer | undefined {
  if (typeof res.source !== 'string' || !res.source.startsWith('data:')) return undefined;
  try {
    const data = decodeDataUrl(res.source).data;
    if (res.compression === 'gzip') return gunzipSync(data);
    return res.compression === undefined || res.compression === '' ? data : undefined;
  } catch {
    return undefined;
  }
}
