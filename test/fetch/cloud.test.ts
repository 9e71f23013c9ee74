// s3:// / arn: and gs:// sources against fake endpoints and fake metadata services on 127.0.0.1.
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchToBuffer, FetchError, type FetchOptions } from '../../src/fetch/index.js';
import { awsEncode, EMPTY_SHA256, signV4 } from '../../src/fetch/sigv4.js';
import { httpServer, recordingLogger, type TestServer } from './helpers.js';

const CREDS = { AccessKeyId: 'AKIDKINDLINGTEST', SecretAccessKey: 'kindling/secret+key', Token: 'session-token-xyz', Code: 'Success' };
const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=AKIDKINDLINGTEST\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

interface S3Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

describe('s3 and gs', () => {
  let imds: TestServer;
  let s3: TestServer;
  let gceMeta: TestServer;
  let gcs: TestServer;
  const imdsLog: string[] = [];
  const s3Hits: S3Hit[] = [];
  const gcsHits: S3Hit[] = [];

  beforeAll(async () => {
    imds = await httpServer((req, res) => {
      imdsLog.push(`${req.method} ${req.url}`);
      if (req.method === 'PUT' && req.url === '/latest/api/token') {
        if (req.headers['x-aws-ec2-metadata-token-ttl-seconds'] !== '21600') return void res.writeHead(400).end();
        return void res.end('imds-token-1');
      }
      if (req.headers['x-aws-ec2-metadata-token'] !== 'imds-token-1') return void res.writeHead(401).end();
      if (req.url === '/latest/meta-data/placement/region') return void res.end('eu-west-3');
      if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('kindling-role\n');
      if (req.url === '/latest/meta-data/iam/security-credentials/kindling-role') return void res.end(JSON.stringify(CREDS));
      res.writeHead(404).end();
    });
    s3 = await httpServer((req, res) => {
      s3Hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const u = new URL(req.url ?? '', 'http://x');
      if (u.pathname === '/moved/obj' && !String(req.headers.authorization).includes('/us-west-1/')) {
        return void res.writeHead(301, { 'x-amz-bucket-region': 'us-west-1' }).end();
      }
      const objects: Record<string, string> = {
        '/bkt/dir/my%20file.ign': 'object-v1',
        '/bkt/plain': 'plain-object',
        '/ap-123456789012/cfg/base.ign': 'from-access-point',
        '/moved/obj': 'moved-object',
      };
      const body = objects[u.pathname];
      if (!body) return void res.writeHead(404).end();
      res.end(u.searchParams.get('versionId') ? `${body}@${u.searchParams.get('versionId')}` : body);
    });
    gceMeta = await httpServer((req, res) => {
      if (req.url === '/computeMetadata/v1/instance/service-accounts/default/token' && req.headers['metadata-flavor'] === 'Google') {
        res.writeHead(200, { 'metadata-flavor': 'Google', 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ access_token: 'ya29.kindling-token', expires_in: 3599, token_type: 'Bearer' }));
      }
      res.writeHead(403).end();
    });
    gcs = await httpServer((req, res) => {
      gcsHits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      if (req.url === '/storage/v1/b/my-bucket/o/dir%2Fconfig.ign?alt=media') return void res.end('gcs-object');
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    await Promise.all([imds, s3, gceMeta, gcs].filter(Boolean).map((s) => s.close()));
  });

  const awsOpts = (): FetchOptions => ({ endpoints: { awsMetadata: imds.url, s3: s3.url } });

  /** Re-derives the signature from what actually arrived, proving the wire request is the signed one. */
  function expectValidSignature(hit: S3Hit, region: string) {
    const m = AUTH_RE.exec(String(hit.headers.authorization));
    expect(m, String(hit.headers.authorization)).not.toBeNull();
    const [, , credRegion, signedHeaders] = m!;
    expect(credRegion).toBe(region);
    expect(signedHeaders.split(';')).toEqual(expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token']));
    expect(hit.headers['x-amz-security-token']).toBe(CREDS.Token);
    expect(hit.headers['x-amz-content-sha256']).toBe(EMPTY_SHA256);
    const u = new URL(hit.url, 'http://x');
    const headers: Record<string, string> = {};
    for (const n of signedHeaders.split(';')) if (!['host', 'x-amz-date', 'x-amz-security-token'].includes(n)) headers[n] = String(hit.headers[n]);
    const d = String(hit.headers['x-amz-date']);
    const now = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
    const resigned = signV4(
      {
        method: hit.method,
        host: String(hit.headers.host),
        path: u.pathname,
        query: Object.fromEntries(u.searchParams),
        headers,
        payloadHash: EMPTY_SHA256,
        region,
        service: 's3',
        now,
      },
      { accessKeyId: CREDS.AccessKeyId, secretAccessKey: CREDS.SecretAccessKey, sessionToken: CREDS.Token },
    );
    expect(resigned.authorization).toBe(hit.headers.authorization);
  }

  it('fetches s3://bucket/key?versionId= signed with IMDSv2 instance-role credentials', async () => {
    s3Hits.length = 0;
    imdsLog.length = 0;
    const log = recordingLogger();
    const body = await fetchToBuffer({ source: 's3://bkt/dir/my file.ign?versionId=3HL4kqtJlcpXroDTDmJ' }, { ...awsOpts(), log });
    expect(body.toString()).toBe('object-v1@3HL4kqtJlcpXroDTDmJ');
    expect(imdsLog[0]).toBe('PUT /latest/api/token');
    expect(imdsLog).toContain('GET /latest/meta-data/iam/security-credentials/kindling-role');
    expect(s3Hits).toHaveLength(1);
    expect(s3Hits[0].url).toBe('/bkt/dir/my%20file.ign?versionId=3HL4kqtJlcpXroDTDmJ');
    expectValidSignature(s3Hits[0], 'eu-west-3');
    const logged = log.lines.join('\n');
    for (const secret of [CREDS.SecretAccessKey, CREDS.Token, 'imds-token-1']) expect(logged).not.toContain(secret);
  });

  it('fetches bucket and access-point ARNs', async () => {
    s3Hits.length = 0;
    expect((await fetchToBuffer({ source: 'arn:aws:s3:::bkt/plain' }, awsOpts())).toString()).toBe('plain-object');
    const ap = 'arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/cfg/base.ign?versionId=v9';
    expect((await fetchToBuffer({ source: ap }, awsOpts())).toString()).toBe('from-access-point@v9');
    expectValidSignature(s3Hits[0], 'eu-west-3');
    expectValidSignature(s3Hits[1], 'us-west-2'); // the ARN's region wins
  });

  it('re-signs for the region S3 names in a 301', async () => {
    s3Hits.length = 0;
    expect((await fetchToBuffer({ source: 's3://moved/obj' }, awsOpts())).toString()).toBe('moved-object');
    expect(s3Hits).toHaveLength(2);
    expectValidSignature(s3Hits[1], 'us-west-1');
  });

  it('goes anonymous without a metadata service, and maps 404', async () => {
    s3Hits.length = 0;
    const opts: FetchOptions = { endpoints: { awsMetadata: 'http://127.0.0.1:1', s3: s3.url } };
    expect((await fetchToBuffer({ source: 's3://bkt/plain' }, opts)).toString()).toBe('plain-object');
    expect(s3Hits[0].headers.authorization).toBeUndefined();
    const e = await fetchToBuffer({ source: 's3://bkt/absent' }, opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FetchError);
    expect((e as Error).message).toBe('resource not found');
  });

  it('fetches gs:// with the GCE metadata token, or anonymously off GCE', async () => {
    gcsHits.length = 0;
    const body = await fetchToBuffer({ source: 'gs://my-bucket/dir/config.ign' }, { endpoints: { gcpMetadata: gceMeta.url, gcs: gcs.url } });
    expect(body.toString()).toBe('gcs-object');
    expect(gcsHits[0].headers.authorization).toBe('Bearer ya29.kindling-token');
    const anon = await fetchToBuffer({ source: 'gs://my-bucket/dir/config.ign' }, { endpoints: { gcpMetadata: 'http://127.0.0.1:1', gcs: gcs.url } });
    expect(anon.toString()).toBe('gcs-object');
    expect(gcsHits[1].headers.authorization).toBeUndefined();
    const e = await fetchToBuffer({ source: 'gs://my-bucket/nothing' }, { endpoints: { gcpMetadata: gceMeta.url, gcs: gcs.url } }).catch((x: unknown) => x);
    expect((e as Error).message).toBe('resource not found');
  });

  it('encodes keys the way it signs them', () => {
    expect(awsEncode('dir/my file+x.ign', true)).toBe('dir/my%20file%2Bx.ign');
  });
});
