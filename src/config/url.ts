// URL checks with the acceptance rules of Go's net/url (which Ignition validates with), plus
// S3 ARNs; data URLs are in dataurl.ts.
import { allDigits, isDigit, isHexDigit, isLetter } from '../host/chars.js';

export interface GoUrl {
  scheme: string;
  /** Everything after "scheme:" when it does not start with "/" (e.g. data and arn URLs). */
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
}

/** C0 controls and DEL, refused anywhere in a URL (a pattern: it scans the whole URL, a data URL too). */
const CONTROLS = /[\x00-\x1f\x7f]/;

/** The length of the `scheme` of `scheme:...` at the start of `s` (RFC 3986), or 0. */
function schemeLength(s: string): number {
  if (!isLetter(s.charCodeAt(0))) return 0;
  let i = 1;
  while (isSchemeChar(s.charCodeAt(i))) i++;
  return s[i] === ':' ? i : 0;
}
/** A-Z a-z 0-9 + . - */
const isSchemeChar = (c: number) => isLetter(c) || isDigit(c) || c === 0x2b || c === 0x2e || c === 0x2d;

/** The lower-cased scheme of a source (`https` of `HTTPS://x`), '' when it has none. Pure. */
export function sourceScheme(source: string): string {
  const n = schemeLength(source);
  return n ? source.slice(0, n).toLowerCase() : '';
}

/** Returns the parsed URL, or undefined where Go's url.Parse reports an error. */
export function parseUrl(s: string): GoUrl | undefined {
  if (CONTROLS.test(s)) return undefined;
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    if (!validEscapes(rest.slice(hash + 1))) return undefined;
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const schemeEnd = schemeLength(rest);
  if (schemeEnd) {
    scheme = rest.slice(0, schemeEnd).toLowerCase();
    rest = rest.slice(schemeEnd + 1);
  } else if (rest.startsWith(':')) return undefined; // missing protocol scheme
  let rawQuery = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (scheme && !rest.startsWith('/')) return { scheme, opaque: rest, host: '', path: '', rawQuery };
  // Without a scheme, a colon in the first segment is ambiguous and rejected.
  if (!scheme) {
    const seg = rest.split('/')[0];
    if (seg.includes(':')) return undefined;
  }
  let host = '';
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
    rest = end < 0 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    host = at >= 0 ? authority.slice(at + 1) : authority;
    if (at >= 0 && !validEscapes(authority.slice(0, at))) return undefined;
    if (!validHost(host)) return undefined;
  }
  if (!validEscapes(rest)) return undefined;
  return { scheme, opaque: '', host, path: rest, rawQuery };
}

function validEscapes(s: string): boolean {
  for (let k = s.indexOf('%'); k >= 0; k = s.indexOf('%', k + 1)) {
    if (!isEscapeAt(s, k)) return false;
  }
  return true;
}

/** Whether the `%` at `k` starts a `%XX` escape. */
function isEscapeAt(s: string, k: number): boolean {
  return isHexDigit(s.charCodeAt(k + 1)) && isHexDigit(s.charCodeAt(k + 2));
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    const port = host.slice(close + 1);
    return port === '' || (port[0] === ':' && allDigits(port, 1));
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !allDigits(host, colon + 1)) return false;
  return validHostChars(host);
}

// Go's host rules: ASCII outside these must not appear; a % escape may only stand for a non-ASCII
// byte, or be %25.
const HOST_PUNCTUATION = `_.~!$&'()*+,;=:[]<>"-`;
/** A character Go allows in a host: any outside ASCII, letters, digits, HOST_PUNCTUATION. */
function hostChar(c: number, ch: string): boolean {
  return c >= 0x80 || isLetter(c) || isDigit(c) || HOST_PUNCTUATION.includes(ch);
}

function validHostChars(host: string): boolean {
  for (let k = 0; k < host.length; k++) {
    if (host[k] === '%') {
      const hex = host.slice(k + 1, k + 3);
      if (!isEscapeAt(host, k) || (parseInt(hex[0], 16) < 8 && hex !== '25')) return false;
      k += 2;
    } else if (!hostChar(host.charCodeAt(k), host[k])) return false;
  }
  return true;
}

/**
 * Values of a query parameter as Go's url.Values would give them (undefined when absent): pairs are
 * separated by `&` only; a pair holding a `;` or a bad escape is skipped.
 */
export function queryValues(rawQuery: string, name: string): string[] | undefined {
  let out: string[] | undefined;
  for (const part of rawQuery.split('&')) {
    if (!part || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const k = safeDecode(eq < 0 ? part : part.slice(0, eq));
    const v = safeDecode(eq < 0 ? '' : part.slice(eq + 1));
    if (k !== name || v === undefined) continue;
    (out ??= []).push(v);
  }
  return out;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export { checkDataUrl, decodeDataUrl, type DataUrl } from './dataurl.js';

export interface S3Arn {
  partition: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. `bucket/key` or `accesspoint/name/object/key`. */
  resource: string;
  /** The whole ARN split at `/`, as Ignition splits it (the first part holds the colons). */
  slashParts: string[];
}

const INVALID_ARN = 'invalid S3 ARN format';

/**
 * An S3 ARN (without query) as Ignition reads one, for validation and for fetching alike: at
 * least six colon-separated sections (partition, region and account may be empty), service s3,
 * and an object path: `bucket/key`, or below `accesspoint/name`. Otherwise Ignition's problem.
 */
export function parseS3Arn(arn: string): S3Arn | { problem: string } {
  const sections = arn.split(':');
  if (sections.length < 6 || sections[0] !== 'arn' || sections[2] !== 's3') return { problem: INVALID_ARN };
  const [, partition, , region, account] = sections;
  const resource = sections.slice(5).join(':');
  const slashParts = arn.split('/');
  if (slashParts.length < (resource.startsWith('accesspoint/') ? 3 : 2)) return { problem: INVALID_ARN };
  return { partition, region, account, resource, slashParts };
}
