// S3 objects (`s3://`, bucket and access-point ARNs): one signed GET (anonymous off EC2), through
// the same retrying HTTP client as http(s) sources.
import type { Readable } from 'node:stream';
import { checkStatus, type HttpTransport } from './http.js';
import { DEFAULT_AWS_METADATA, ec2Identity } from './metadata.js';
import { awsEncode, canonicalQuery, EMPTY_SHA256, signV4, type AwsCredentials } from './sigv4.js';
import { parseS3Source, type S3Target } from './s3url.js';
import type { Endpoints } from './types.js';

const DEFAULT_REGION = 'us-east-1';

/** Where the object lives: `{origin, path}`; path-style when an endpoint override is configured. */
export function s3ObjectUrl(t: S3Target, region: string, endpoint?: string): { origin: string; path: string } {
  const keyPath = `/${awsEncode(t.key, true)}`;
  if (endpoint) return { origin: endpoint.replace(/\/+$/, ''), path: `/${awsEncode(t.bucket)}${keyPath}` };
  const domain = t.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  if (t.accessPoint) return { origin: `https://${t.bucket}.s3-accesspoint.${region}.${domain}`, path: keyPath };
  // dotted bucket names break the wildcard certificate of virtual-hosted style
  if (t.bucket.includes('.')) return { origin: `https://s3.${region}.${domain}`, path: `/${awsEncode(t.bucket)}${keyPath}` };
  return { origin: `https://${t.bucket}.s3.${region}.${domain}`, path: keyPath };
}

export async function s3Get(source: string, http: HttpTransport, endpoints: Endpoints, signal: AbortSignal, expired: () => boolean): Promise<Readable> {
  const target = parseS3Source(source);
  const id = await ec2Identity(endpoints.awsMetadata ?? DEFAULT_AWS_METADATA, http.log, signal);
  let region = target.accessPoint?.region ?? id.region ?? endpoints.s3Region ?? DEFAULT_REGION;
  const query: Record<string, string> = target.versionId ? { versionId: target.versionId } : {};
  for (let hop = 0; ; hop++) {
    const { origin, path } = s3ObjectUrl(target, region, endpoints.s3);
    const qs = canonicalQuery(query);
    const url = `${origin}${path}${qs ? `?${qs}` : ''}`;
    const res = await http.getWithRetry(
      {
        url,
        headers: {},
        followRedirects: false,
        headersFor: (u) => requestHeaders(http.defaults, u, path, query, region, id.credentials),
      },
      signal,
      expired,
    );
    // Wrong region guess: S3 names the right one; re-sign once for it (what the SDK does).
    const actual = res.headers['x-amz-bucket-region'];
    if (hop === 0 && (res.statusCode === 301 || res.statusCode === 400) && typeof actual === 'string' && actual !== region) {
      res.body.resume();
      http.log.debug(`S3 bucket ${target.bucket} is in ${actual}, not ${region}; retrying there`);
      region = actual;
      continue;
    }
    return checkStatus(res);
  }
}

function requestHeaders(
  defaults: Record<string, string>,
  u: URL,
  path: string,
  query: Record<string, string>,
  region: string,
  creds: AwsCredentials | null,
): Record<string, string> {
  const base = { ...defaults, 'x-amz-content-sha256': EMPTY_SHA256 };
  if (!creds) return base;
  return signV4({ method: 'GET', host: u.host, path, query, headers: base, payloadHash: EMPTY_SHA256, region, service: 's3', now: new Date() }, creds);
}
