// Log-safe rendering of source URLs: credentials in userinfo, signed-URL query parameters and the
// payload of data: URLs (which carry key files and CA bundles) never reach a log line or an error.
import { sourceScheme } from '../config/url.js';

// Query parameters that carry credentials (compared case-insensitively): presigned S3/GCS URLs,
// Azure SAS, OAuth-style tokens, generic secrets.
const SECRET_PARAMS = new Set([
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
  'signature',
  'sig',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'auth',
  'authorization',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'key',
  'apikey',
  'api_key',
  'api-key',
]);

const MASK = 'REDACTED';

export function isSecretParam(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_PARAMS.has(n) || n.endsWith('token') || n.endsWith('secret') || n.endsWith('signature');
}

/** Returns `url` with secrets masked; never throws, also for unparsable input. */
export function redactUrl(url: string | null | undefined): string {
  if (url == null) return '';
  if (sourceScheme(url) === 'data') {
    const comma = url.indexOf(',');
    const head = comma < 0 ? url.slice(0, 64) : url.slice(0, Math.min(comma, 64));
    return `${head},<${comma < 0 ? 0 : url.length - comma - 1} chars>`;
  }
  const q = url.indexOf('?');
  const hashAt = url.indexOf('#', q < 0 ? 0 : q);
  let base = q < 0 ? (hashAt < 0 ? url : url.slice(0, hashAt)) : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1, hashAt < 0 ? undefined : hashAt);
  const frag = hashAt < 0 ? '' : url.slice(hashAt);
  // userinfo: everything between "//" and the last "@" before the path
  base = base.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/]*@)/i, `$1${MASK}@`);
  if (q < 0) return base + frag;
  const parts = query.split('&').map((kv) => {
    const eq = kv.indexOf('=');
    const rawName = eq < 0 ? kv : kv.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    return isSecretParam(name) && eq >= 0 ? `${rawName}=${MASK}` : kv;
  });
  return `${base}?${parts.join('&')}${frag}`;
}

/** Replaces every occurrence of `url` (and its parsed form) in a message with the redacted form. */
export function redactIn(message: string, url: string | null | undefined): string {
  if (!url) return message;
  let out = message.split(url).join(redactUrl(url));
  try {
    const href = new URL(url).href;
    if (href !== url) out = out.split(href).join(redactUrl(href));
  } catch {
    // not parsable: nothing more to replace
  }
  return out;
}
