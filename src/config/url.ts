// URL checks with the acceptance rules of Go's net/url (which Ignition validates with), plus
// S3 ARNs; data URLs are in dataurl.ts.

export interface GoUrl {
  scheme: string;
  /** Everything after "scheme:" when it does not start with "/" (e.g. data and arn URLs). */
  opaque: string;
  host: string;
  path: string;
  rawQuery: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Returns the parsed URL, or undefined where Go's url.Parse reports an error. */
export function parseUrl(s: string): GoUrl | undefined {
  if (/[\x00-\x1f\x7f]/.test(s)) return undefined;
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    if (!validEscapes(rest.slice(hash + 1))) return undefined;
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const m = SCHEME.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
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
    if (!/^[0-9A-Fa-f]{2}$/.test(s.slice(k + 1, k + 3))) return false;
  }
  return true;
}

function validHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    const port = host.slice(close + 1);
    return port === '' || /^:\d*$/.test(port);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1))) return false;
  if (/[ <>"{}|\\^`]/.test(host.slice(0, colon >= 0 ? colon : undefined))) return false;
  return validEscapes(host);
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

/** Problem with an `arn:` URL (Ignition accepts S3 bucket objects and access-point objects), or undefined. */
export function arnProblem(scheme: string, opaque: string): string | undefined {
  const full = `${scheme}:${opaque}`;
  const parts = full.split(':');
  if (parts.length < 6) return 'invalid S3 ARN format';
  const [, partition, service] = parts;
  const resource = parts.slice(5).join(':');
  if (!partition) return 'arn: invalid partition';
  if (!service) return 'arn: invalid service';
  if (!resource) return 'arn: invalid resource';
  if (service !== 's3') return 'invalid S3 ARN format';
  const slashParts = full.split('/').length;
  if (resource.startsWith('accesspoint/') ? slashParts < 3 : slashParts < 2) return 'invalid S3 ARN format';
  return undefined;
}
