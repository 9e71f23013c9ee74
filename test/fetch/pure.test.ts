// Pure pieces of the fetcher: data URLs, redaction, backoff, noProxy matching, SigV4, S3 sources.
import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/fetch/backoff.js';
import { decodeDataUrl } from '../../src/fetch/dataurl.js';
import { proxyFor, parseNoProxy, useProxy } from '../../src/fetch/proxy.js';
import { redactUrl, redactIn } from '../../src/fetch/redact.js';
import { parseS3Source } from '../../src/fetch/s3url.js';
import { s3ObjectUrl } from '../../src/fetch/s3.js';
import { gcsMediaUrl } from '../../src/fetch/gcs.js';
import { EMPTY_SHA256, signV4 } from '../../src/fetch/sigv4.js';
import { parseHashSpec } from '../../src/fetch/verify.js';
import { mergeHeaders, defaultHeaders } from '../../src/fetch/http.js';
import { sourceScheme } from '../../src/config/url.js';
import { splitPemBundle } from '../../src/fetch/tls.js';
import { NOTICE_INTERVAL_MS, noticeDue } from '../../src/fetch/retry-notice.js';

describe('data URLs (RFC 2397)', () => {
  it('decodes percent-encoded and base64 payloads', () => {
    expect(decodeDataUrl('data:,hello%20world').data.toString()).toBe('hello world');
    expect(decodeDataUrl('data:,').data.length).toBe(0);
    expect(decodeDataUrl('data:;base64,aGVsbG8=').data.toString()).toBe('hello');
    expect(decodeDataUrl('data:text/plain;charset=utf-8;base64,aGk=').data.toString()).toBe('hi');
    expect(decodeDataUrl('data:application/octet-stream,%00%ff%0A').data).toEqual(Buffer.from([0, 255, 10]));
    expect(decodeDataUrl('data:text/plain,caf%C3%A9').data.toString()).toBe('café');
    expect(decodeDataUrl('data:;base64,aGVs\nbG8=').data.toString()).toBe('hello');
    expect(decodeDataUrl('data:text/plain,a').mediaType).toBe('text/plain');
  });
  it("rejects malformed ones, as Ignition's data URL library does", () => {
    expect(() => decodeDataUrl('data:text/plain')).toThrow(/incomplete media type/);
    expect(() => decodeDataUrl('data:,%zz')).toThrow(/unescape/);
    expect(() => decodeDataUrl('data:;base64,a$b')).toThrow(/invalid data character/);
    // Unpadded base64, escapes in base64, and unescaped spaces are all refused by Ignition.
    expect(() => decodeDataUrl('data:;base64,aGk')).toThrow(/illegal base64 data at input byte 0/);
    expect(() => decodeDataUrl('data:;base64,aGVs%0AbG8%3D')).toThrow(/invalid data character/);
    expect(() => decodeDataUrl('data:,a b')).toThrow(/invalid data character/);
  });

  it('takes exactly the data characters the library takes, one code point at a time', () => {
    // The library's rule, character by character: URL data is ASCII without controls, space and
    // the unwise characters; base64 data is the base64 alphabet, padding and line feeds.
    const unwise = ' <>#"{}|\\^[]`';
    const urlChar = (c: string) => c.length === 1 && c.charCodeAt(0) > 0x1f && c.charCodeAt(0) < 0x7f && !unwise.includes(c);
    const base64Char = (c: string) => /^[A-Za-z0-9+/=\n]$/.test(c);
    const chars = [...Array.from({ length: 0x100 }, (_, i) => String.fromCharCode(i)), 'é', '€', '😀', '\ud800'];
    for (const c of chars) {
      const url = `data:,a${c === '%' ? '%25' : c}b`;
      if (urlChar(c)) expect(decodeDataUrl(url).data.toString('latin1')).toBe(`a${c}b`);
      else expect(() => decodeDataUrl(url), JSON.stringify(c)).toThrow(/invalid data character/);
      const b64 = `data:;base64,${c}`;
      if (!base64Char(c)) expect(() => decodeDataUrl(b64), JSON.stringify(c)).toThrow(/invalid data character/);
    }
    // Padding only at the end, as Go's strict decoder wants; line feeds anywhere.
    expect(decodeDataUrl('data:;base64,aGVsbG8h\naGk=').data.toString()).toBe('hello!hi');
    expect(() => decodeDataUrl('data:;base64,aGk=aGk=')).toThrow(/illegal base64 data at input byte 3/);
    expect(() => decodeDataUrl('data:;base64,aG==')).not.toThrow();
    expect(() => decodeDataUrl('data:;base64,a===')).toThrow(/illegal base64 data at input byte 1/);
    // The character the lexer consumes unchecked after `x` is one rune, not one UTF-16 unit (the
    // second half of the pair would be 'invalid character for media type').
    expect(() => decodeDataUrl('data:x😀ab/c,z')).toThrow(/invalid media type/);
    expect(decodeDataUrl('data:text/plain;a="x,y";b=c%41,z').mediaType).toBe('text/plain;a=x,y;b=cA');
  });
});

describe('redactUrl', () => {
  it('hides userinfo, signed-URL parameters and data payloads', () => {
    expect(redactUrl('https://user:pa55@example.com/x')).toBe('https://REDACTED@example.com/x');
    const presigned =
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok';
    const r = redactUrl(presigned);
    expect(r).toContain('X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(r).not.toMatch(/deadbeef|AKIA|=tok/);
    expect(redactUrl('https://h/p?token=abc&access_token=def&sig=x&a=1')).toBe('https://h/p?token=REDACTED&access_token=REDACTED&sig=REDACTED&a=1');
    expect(redactUrl('data:;base64,c2VjcmV0')).toBe('data:;base64,<8 chars>');
    expect(redactUrl('https://example.com/plain?x=1#frag')).toBe('https://example.com/plain?x=1#frag');
    expect(redactUrl('tftp://10.0.0.1/boot.ign')).toBe('tftp://10.0.0.1/boot.ign');
    expect(redactUrl('not a url //a:b@c')).toBe('not a url //a:b@c'); // no scheme: untouched
    expect(redactIn('GET https://u:p@h/x failed', 'https://u:p@h/x')).toBe('GET https://REDACTED@h/x failed');
  });
});

describe('backoff', () => {
  it('starts at 200 ms, doubles, caps at 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50].map(backoffMs)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });
});

describe('proxy selection (Go httpproxy semantics)', () => {
  const cfg = { httpProxy: 'http://proxy:3128', httpsProxy: 'proxy.example:8080' };
  const pick = (url: string, noProxy: string[] = []) => proxyFor(new URL(url), { ...cfg, noProxy });
  it('uses the proxy matching the scheme', () => {
    expect(pick('http://a.example.com/')).toBe('http://proxy:3128');
    expect(pick('https://a.example.com/')).toBe('http://proxy.example:8080');
    expect(proxyFor(new URL('https://a/'), { httpProxy: 'http://p:1' })).toBeNull();
    expect(proxyFor(new URL('http://a/'), null)).toBeNull();
  });
  it('never proxies localhost and loopback', () => {
    expect(pick('http://localhost:8080/')).toBeNull();
    expect(pick('http://127.0.0.5/')).toBeNull();
    expect(pick('http://[::1]:81/')).toBeNull();
  });
  it('matches noProxy entries', () => {
    expect(pick('http://example.com/', ['example.com'])).toBeNull();
    expect(pick('http://a.example.com/', ['example.com'])).toBeNull(); // plain domain includes subdomains
    expect(pick('http://notexample.com/', ['example.com'])).not.toBeNull();
    expect(pick('http://example.com/', ['.example.com'])).not.toBeNull(); // leading dot: subdomains only
    expect(pick('http://a.b.example.com/', ['.example.com'])).toBeNull();
    expect(pick('http://a.example.com/', ['*.example.com'])).toBeNull();
    expect(pick('http://10.1.2.3/', ['10.0.0.0/8'])).toBeNull();
    expect(pick('http://11.1.2.3/', ['10.0.0.0/8'])).not.toBeNull();
    expect(pick('http://[fd00::5]/', ['fd00::/64'])).toBeNull();
    expect(pick('http://192.168.1.1/', ['192.168.1.1'])).toBeNull();
    expect(pick('http://192.168.1.1:8080/', ['192.168.1.1:9090'])).not.toBeNull();
    expect(pick('http://192.168.1.1:9090/', ['192.168.1.1:9090'])).toBeNull();
    expect(pick('http://web.corp:8443/', ['web.corp:8443'])).toBeNull();
    expect(pick('http://web.corp/', ['web.corp:8443'])).not.toBeNull();
    expect(pick('http://WEB.Corp/', [' web.corp '])).toBeNull();
    expect(pick('https://anything/', ['foo', '*'])).toBeNull();
    expect(useProxy('example.org', '80', parseNoProxy([]))).toBe(true);
  });
});

describe('SigV4', () => {
  it('matches the AWS SigV4 test suite vector get-vanilla', () => {
    const h = signV4(
      {
        method: 'GET',
        host: 'example.amazonaws.com',
        path: '/',
        query: {},
        headers: {},
        payloadHash: EMPTY_SHA256,
        region: 'us-east-1',
        service: 'service',
        now: new Date('2015-08-30T12:36:00Z'),
      },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
  it('matches the S3 documentation example (GET object with Range)', () => {
    const h = signV4(
      {
        method: 'GET',
        host: 'examplebucket.s3.amazonaws.com',
        path: '/test.txt',
        query: {},
        headers: { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY_SHA256 },
        payloadHash: EMPTY_SHA256,
        region: 'us-east-1',
        service: 's3',
        now: new Date('2013-05-24T00:00:00Z'),
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    );
    expect(h.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

describe('S3 and GCS sources', () => {
  it('parses s3:// and ARNs', () => {
    expect(parseS3Source('s3://bkt/a/b c.txt?versionId=v1')).toMatchObject({ bucket: 'bkt', key: 'a/b c.txt', versionId: 'v1', accessPoint: null });
    expect(parseS3Source('arn:aws:s3:::bkt/dir/obj')).toMatchObject({ bucket: 'bkt', key: 'dir/obj', versionId: null });
    // Ignition takes the bucket from after the last colon, region and account or not.
    expect(parseS3Source('arn:aws:s3:us-east-1:123:bkt/k')).toMatchObject({ bucket: 'bkt', key: 'k', accessPoint: null });
    expect(parseS3Source('arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/dir/obj?versionId=x')).toMatchObject({
      bucket: 'ap-123456789012',
      key: 'dir/obj',
      versionId: 'x',
      accessPoint: { name: 'ap', account: '123456789012', region: 'us-west-2' },
    });
    expect(() => parseS3Source('arn:aws:sqs:::bkt/obj')).toThrow('invalid S3 ARN format');
    expect(() => parseS3Source('arn:aws:s3:::bkt')).toThrow('invalid S3 ARN format');
    expect(() => parseS3Source('arn:aws:s3:us-west-2:123:accesspoint/ap')).toThrow('invalid S3 ARN format');
    expect(() => parseS3Source('s3://bkt/obj?versionId=')).toThrow('invalid S3 object VersionId');
  });
  it('builds object URLs', () => {
    const t = parseS3Source('s3://bkt/a b/c');
    expect(s3ObjectUrl(t, 'eu-west-1')).toEqual({ origin: 'https://bkt.s3.eu-west-1.amazonaws.com', path: '/a%20b/c' });
    expect(s3ObjectUrl(parseS3Source('s3://my.bkt/k'), 'eu-west-1').origin).toBe('https://s3.eu-west-1.amazonaws.com');
    expect(s3ObjectUrl(t, 'x', 'http://127.0.0.1:9/')).toEqual({ origin: 'http://127.0.0.1:9', path: '/bkt/a%20b/c' });
    const ap = parseS3Source('arn:aws:s3:us-west-2:123456789012:accesspoint/ap/object/k');
    expect(s3ObjectUrl(ap, 'us-west-2').origin).toBe('https://ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com');
    expect(gcsMediaUrl('gs://bkt/dir/obj.ign')).toBe('https://storage.googleapis.com/storage/v1/b/bkt/o/dir%2Fobj.ign?alt=media');
  });
});

describe('misc', () => {
  it('parses hash specifiers', () => {
    expect(parseHashSpec(`sha256-${'A'.repeat(64)}`)).toEqual({ algorithm: 'sha256', expected: 'a'.repeat(64) });
    expect(parseHashSpec(null)).toBeNull();
    expect(() => parseHashSpec('sha512')).toThrow('malformed hash specifier');
    expect(() => parseHashSpec('md5-abcd')).toThrow('unrecognized hash function');
    expect(() => parseHashSpec('sha512-abcd')).toThrow('incorrect size for hash sum');
  });
  it('lets config headers override defaults case-insensitively', () => {
    expect(
      mergeHeaders(defaultHeaders('UA/1'), [
        { name: 'User-Agent', value: 'mine' },
        { name: 'X-A', value: 'b' },
      ]),
    ).toEqual({
      'accept-encoding': 'identity',
      accept: '*/*',
      'user-agent': 'mine',
      'x-a': 'b',
    });
  });
  it('finds schemes', () => {
    expect(['HTTPS://x', 'data:,', 'arn:aws:s3:::b/k', 'nope', ''].map(sourceScheme)).toEqual(['https', 'data', 'arn', '', '']);
  });
  it('rejects PEM bundles without certificates', () => {
    expect(() => splitPemBundle('garbage')).toThrow('unable to decode PEM block');
  });
});

describe('retry notices', () => {
  it('go out on the first retry, then at most once per interval', () => {
    const t = 1_000_000;
    expect(noticeDue({ attempt: 1 }, t)).toBe(true);
    expect(noticeDue({ attempt: 2, lastNoticeAt: t }, t + 5000)).toBe(false);
    expect(noticeDue({ attempt: 7, lastNoticeAt: t }, t + NOTICE_INTERVAL_MS - 1)).toBe(false);
    expect(noticeDue({ attempt: 8, lastNoticeAt: t }, t + NOTICE_INTERVAL_MS)).toBe(true);
  });
});
