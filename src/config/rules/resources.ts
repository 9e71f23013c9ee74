// Resources (file contents, appends, merged/replacing configs, CA bundles, key files), their URLs,
// HTTP headers and hashes.
import { compareVersions, type Version } from '../../model/versions.js';
import { checkDataUrl, parseS3Arn, parseUrl, queryValues } from '../url.js';
import { empty, rule, type Hit, type Rule } from './rule.js';
import type { UncheckedObject } from '../unchecked.js';

type Resource = UncheckedObject<'Resource'>;

/** The problem Ignition reports for a URL at this spec version, or undefined when it is accepted. */
export function urlProblem(s: string, v: Version): string | undefined {
  const u = parseUrl(s);
  if (!u) return 'unable to parse url';
  const since = (w: Version) => compareVersions(v, w) >= 0;
  switch (u.scheme) {
    case 'http':
    case 'https':
    case 'tftp':
      return undefined;
    case 'gs':
      return since('3.2.0') ? undefined : 'invalid url scheme';
    case 's3':
      return versionIdProblem(u.rawQuery);
    case 'arn': {
      if (!since('3.4.0')) return 'invalid url scheme';
      const arn = parseS3Arn(`${u.scheme}:${u.opaque}`);
      return 'problem' in arn ? arn.problem : versionIdProblem(u.rawQuery);
    }
    case 'data':
      try {
        checkDataUrl(s);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    default:
      return 'invalid url scheme';
  }
}

function versionIdProblem(rawQuery: string): string | undefined {
  const v = queryValues(rawQuery, 'versionId');
  return v && (v.length === 0 || v[0] === '') ? 'invalid S3 object VersionId' : undefined;
}

export const compressionInvalid = rule({
  code: 'compression-invalid',
  severity: 'error',
  message: 'invalid compression method',
  on: 'Resource',
  check: (r) =>
    r.compression !== undefined && r.compression !== '' && r.compression !== 'gzip' && { at: ['compression'], hint: 'accepted values: "" (none) or "gzip"' },
});

const VERIFICATION_WITHOUT_SOURCE = 'source must be specified if verification is specified';
const hashWithoutSource = (r: Resource | undefined) => r !== undefined && r.verification?.hash !== undefined && r.source === undefined;

export const verificationWithoutSource = rule({
  code: 'verification-without-source',
  severity: 'error',
  message: VERIFICATION_WITHOUT_SOURCE,
  on: 'Resource',
  since: '3.1.0',
  check: (r) => hashWithoutSource(r) && { at: ['verification', 'hash'] },
});

// Spec 3.0.0 has separate types for file contents, merged configs and CA bundles, and only file
// contents (and appends) check that a hash comes with a source.
export const verificationWithoutSource30 = rule({
  code: 'verification-without-source',
  severity: 'error',
  message: VERIFICATION_WITHOUT_SOURCE,
  on: 'File',
  until: '3.1.0',
  check: (f) => [
    ...(hashWithoutSource(f.contents) ? [{ at: ['contents', 'verification', 'hash'] }] : []),
    ...(f.append ?? []).flatMap((r, i) => (hashWithoutSource(r) ? [{ at: ['append', i, 'verification', 'hash'] }] : [])),
  ],
});

export const sourceUrl = rule({
  code: 'source-url',
  severity: 'error',
  message: 'invalid url scheme',
  on: 'Resource',
  check: (r, ctx) => {
    if (empty(r.source)) return undefined;
    const problem = urlProblem(r.source!, ctx.version);
    return problem ? { at: ['source'], message: problem } : undefined;
  },
});

export const headersNeedHttp = rule({
  code: 'headers-scheme',
  severity: 'error',
  message: 'cannot use HTTP headers with this source scheme',
  on: 'Resource',
  since: '3.1.0',
  check: (r) => {
    if (!r.httpHeaders?.length) return undefined;
    if (empty(r.source)) return { at: ['httpHeaders'], message: 'unable to parse url' };
    const u = parseUrl(r.source!);
    if (!u) return { at: ['httpHeaders'], message: 'unable to parse url' };
    return u.scheme !== 'http' && u.scheme !== 'https' && { at: ['httpHeaders'] };
  },
});

export const headerNameEmpty = rule({
  code: 'header-name-empty',
  severity: 'error',
  message: "HTTP header name can't be empty",
  on: 'HTTPHeader',
  check: (h) => empty(h.name) && { at: ['name'] },
});

export const headerValueEmpty = rule({
  code: 'header-value-empty',
  severity: 'error',
  message: 'unable to parse HTTP header',
  on: 'HTTPHeader',
  check: (h) => h.value === '' && { at: ['value'] },
});

const HASH_HEX_LENGTH: Record<string, { length: number; since: Version }> = {
  sha512: { length: 128, since: '3.0.0' },
  sha256: { length: 64, since: '3.1.0' },
};

export const hashSpecifier = rule({
  code: 'hash-specifier',
  severity: 'error',
  message: 'malformed hash specifier',
  on: 'Verification',
  check: (v, ctx): Hit | undefined => {
    if (v.hash === undefined) return undefined;
    const dash = v.hash.indexOf('-');
    if (dash < 0) return { at: ['hash'] };
    const fn = HASH_HEX_LENGTH[v.hash.slice(0, dash)];
    if (!fn || compareVersions(ctx.version, fn.since) < 0) return { at: ['hash'], message: 'unrecognized hash function' };
    // Ignition checks only the length of the sum, not its digits.
    if (v.hash.length - dash - 1 !== fn.length) return { at: ['hash'], message: 'incorrect size for hash sum' };
    return undefined;
  },
});

/** Merged configs and CA bundles must name a source. */
function requiredSource(list: Resource[] | undefined, field: string, v: Version): Hit[] {
  const hits: Hit[] = [];
  (list ?? []).forEach((r, i) => {
    if (empty(r.source)) hits.push({ at: [field, i], message: 'source is required' });
    else {
      const problem = urlProblem(r.source!, v);
      if (problem) hits.push({ at: [field, i], message: problem });
    }
  });
  return hits;
}

// In spec 3.0.0 a merged config may leave its source out.
export const mergeSourceRequired = rule({
  code: 'source-required',
  severity: 'error',
  message: 'source is required',
  on: 'IgnitionConfig',
  since: '3.1.0',
  check: (c, ctx) => requiredSource(c.merge, 'merge', ctx.version),
});

export const caSourceRequired = rule({
  code: 'ca-source-required',
  severity: 'error',
  message: 'source is required',
  on: 'TLS',
  since: '3.1.0',
  check: (t, ctx) => requiredSource(t.certificateAuthorities, 'certificateAuthorities', ctx.version),
});

// In spec 3.0.0 a CA's source is a plain string checked as a URL: an empty one has no scheme.
export const caSource30 = rule({
  code: 'ca-source-required',
  severity: 'error',
  message: 'invalid url scheme',
  on: 'TLS',
  until: '3.1.0',
  check: (t) =>
    (t.certificateAuthorities ?? []).flatMap((r, i) =>
      empty(r.source) ? [{ at: ['certificateAuthorities', i, 'source'], hint: 'a CA bundle needs a source URL' }] : [],
    ),
});

/** Both proxy fields accept http and https URLs (Ignition checks the scheme, not which field). */
function proxyHit(field: string, s: string | undefined): Hit | undefined {
  if (s === undefined) return undefined;
  const u = parseUrl(s);
  if (!u) return { at: [field], message: 'unable to parse url' };
  if (u.scheme !== 'http' && u.scheme !== 'https') return { at: [field], message: 'proxies must be http(s)' };
  return undefined;
}

export const proxyScheme = rule({
  code: 'proxy-scheme',
  severity: 'error',
  message: 'proxies must be http(s)',
  on: 'Proxy',
  check: (p) => [proxyHit('httpProxy', p.httpProxy), proxyHit('httpsProxy', p.httpsProxy)].filter((h): h is Hit => !!h),
});

export const insecureProxy = rule({
  code: 'proxy-insecure',
  severity: 'warning',
  message: 'insecure plaintext HTTP proxy specified for HTTPS resources',
  on: 'Proxy',
  check: (p) => p.httpsProxy !== undefined && parseUrl(p.httpsProxy)?.scheme === 'http' && { at: ['httpsProxy'] },
});

/** This module's rules, by name, for the registry (index.ts). */
export const RESOURCE_RULES: readonly Rule[] = [
  caSource30,
  caSourceRequired,
  compressionInvalid,
  hashSpecifier,
  headerNameEmpty,
  headerValueEmpty,
  headersNeedHttp,
  insecureProxy,
  mergeSourceRequired,
  proxyScheme,
  sourceUrl,
  verificationWithoutSource,
  verificationWithoutSource30,
];
