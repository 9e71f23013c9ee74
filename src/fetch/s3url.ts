// Parsing of `s3://bucket/key?versionId=…` and S3 ARNs (bucket and access point). Pure.
import { FetchError } from './errors.js';

export interface S3Target {
  /** Bucket name, or `<accesspoint>-<account>` for access points. */
  bucket: string;
  key: string;
  versionId: string | null;
  /** Set for access points (region comes from the ARN). */
  accessPoint: { name: string; account: string; region: string } | null;
  partition: string;
}

const invalidArn = () => new FetchError('invalid', 'invalid S3 ARN format');

function splitQuery(source: string): { base: string; versionId: string | null } {
  const q = source.indexOf('?');
  if (q < 0) return { base: source, versionId: null };
  const params = new URLSearchParams(source.slice(q + 1));
  const v = params.get('versionId');
  if (v === '') throw new FetchError('invalid', 'invalid S3 object VersionId');
  return { base: source.slice(0, q), versionId: v };
}

export function parseS3Source(source: string): S3Target {
  const { base, versionId } = splitQuery(source);
  if (/^s3:/i.test(base)) {
    const u = new URL(base);
    const key = decodeURIComponent(u.pathname).replace(/^\//, '');
    if (!u.hostname || !key) throw new FetchError('invalid', 'unable to parse url');
    return { bucket: u.hostname, key, versionId, accessPoint: null, partition: 'aws' };
  }
  // arn:partition:s3:region:account:resource
  const parts = base.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || parts[2] !== 's3') throw invalidArn();
  const [, partition, , region, account] = parts;
  const resource = parts.slice(5).join(':');
  if (!region && !account) {
    // bucket ARN: arn:aws:s3:::bucket/key
    const slash = resource.indexOf('/');
    if (slash <= 0 || slash === resource.length - 1) throw invalidArn();
    return { bucket: resource.slice(0, slash), key: resource.slice(slash + 1), versionId, accessPoint: null, partition };
  }
  const m = /^accesspoint\/([^/]+)\/object\/(.+)$/.exec(resource);
  if (!m || !region || !account) throw invalidArn();
  return {
    bucket: `${m[1]}-${account}`,
    key: m[2],
    versionId,
    accessPoint: { name: m[1], account, region },
    partition,
  };
}
