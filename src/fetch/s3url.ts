// Parsing of `s3://bucket/key?versionId=…` and S3 ARNs (bucket and access point). Pure.
import { parseS3Arn, queryValues } from '../config/url.js';
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
  const v = queryValues(source.slice(q + 1), 'versionId');
  if (v && (v.length === 0 || v[0] === '')) throw new FetchError('invalid', 'invalid S3 object VersionId');
  return { base: source.slice(0, q), versionId: v?.[0] ?? null };
}

export function parseS3Source(source: string): S3Target {
  const { base, versionId } = splitQuery(source);
  if (/^s3:/i.test(base)) {
    const u = new URL(base);
    const key = decodeURIComponent(u.pathname).replace(/^\//, '');
    if (!u.hostname || !key) throw new FetchError('invalid', 'unable to parse url');
    return { bucket: u.hostname, key, versionId, accessPoint: null, partition: 'aws' };
  }
  const arn = parseS3Arn(base);
  if ('problem' in arn) throw new FetchError('invalid', arn.problem);
  const [head, ...path] = arn.slashParts;
  if (arn.resource.startsWith('accesspoint/')) {
    // arn:partition:s3:region:account:accesspoint/name/object/key
    const [name, object, ...key] = path;
    if (object !== 'object' || key.length === 0 || !arn.region || !arn.account) throw invalidArn();
    return {
      bucket: `${name}-${arn.account}`,
      key: key.join('/'),
      versionId,
      accessPoint: { name, account: arn.account, region: arn.region },
      partition: arn.partition,
    };
  }
  // arn:partition:s3:::bucket/key (the bucket is what follows the last colon)
  const bucket = head.slice(head.lastIndexOf(':') + 1);
  const key = path.join('/');
  if (!bucket || !key) throw invalidArn();
  return { bucket, key, versionId, accessPoint: null, partition: arn.partition };
}
