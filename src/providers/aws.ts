// Amazon EC2: IMDSv2 (`PUT /latest/api/token`, then the token in `X-aws-ec2-metadata-token`),
// falling back to IMDSv1 when the token endpoint answers 404; user-data 404 = no config.
// `init` (every stage) PUTs for a token first, as Ignition does, so fetch-offline signals neednet
// and a refused token (403) fails early. The S3 region hint Ignition computes there is not needed:
// src/fetch asks IMDS for the region itself when an s3:// resource is fetched.
// Beyond Ignition: a 401 on the user data (token expired) gets one fresh token and one more try.
import { FetchError } from '../fetch/errors.js';
import { nullIfNotFound, withMetadata, type MetadataClient } from './http.js';
import type { Provider } from './provider.js';

const TOKEN_URL = 'http://169.254.169.254/latest/api/token';
const USERDATA_URL = 'http://169.254.169.254/2019-10-01/user-data';
const TOKEN_TTL = { 'X-Aws-Ec2-Metadata-Token-Ttl-Seconds': '21600' };

/** The session token, or null when the instance has no IMDSv2 (404). */
async function imdsToken(m: MetadataClient): Promise<string | null> {
  const token = await nullIfNotFound(m.fetch({ url: TOKEN_URL, method: 'PUT', headers: TOKEN_TTL }));
  return token === null ? null : token.toString('utf8').trim();
}

async function userData(m: MetadataClient, token: string | null): Promise<Buffer | null> {
  return nullIfNotFound(m.fetch({ url: USERDATA_URL, headers: token === null ? {} : { 'X-Aws-Ec2-Metadata-Token': token } }));
}

export const aws: Provider = {
  id: 'aws',
  async init(ctx) {
    await withMetadata(ctx, (m) =>
      m.fetch({ url: TOKEN_URL, method: 'PUT', headers: TOKEN_TTL }).catch((e: unknown) => {
        if (!(e instanceof FetchError && e.code === 'not-found')) throw e;
        return null;
      }),
    );
  },
  async fetch(ctx) {
    const config = await withMetadata(ctx, async (m) => {
      const token = await imdsToken(m);
      if (token === null) ctx.log.info('IMDSv2 service is unavailable; falling back to IMDSv1');
      try {
        return await userData(m, token);
      } catch (e) {
        if (token === null || !(e instanceof FetchError && e.status === 401)) throw e;
        ctx.log.warn('IMDSv2 token refused (401); getting a new one');
        return userData(m, await imdsToken(m));
      }
    });
    return { config };
  },
};
