// Akamai (Linode) metadata service: `PUT /v1/token` (text/plain, 300 s TTL) for a token, then
// `GET /v1/user-data` with it; the user data is base64, possibly of gzip. A 404 is an error here.
// Beyond Ignition: a 401 on the user data (token expired or refused) gets one fresh token and one
// more try instead of failing the boot.
import { FetchError, NeedNetError } from '../fetch/errors.js';
import { decodeBase64, tryGunzip } from './decode.js';
import { withMetadata, wrapError, type MetadataClient } from './http.js';
import type { Provider } from './provider.js';

const TOKEN_URL = 'http://169.254.169.254/v1/token';
const USERDATA_URL = 'http://169.254.169.254/v1/user-data';

async function getToken(m: MetadataClient): Promise<string> {
  let body: Buffer;
  try {
    // text/plain spares decoding JSON; the service refuses Ignition's default Accept
    body = await m.fetch({ url: TOKEN_URL, method: 'PUT', headers: { Accept: 'text/plain', 'Metadata-Token-Expiry-Seconds': '300' } });
  } catch (e) {
    throw wrapError('get token', wrapError('fetch to buffer', e));
  }
  const token = body.toString('utf8').trim();
  if (!token) throw new Error('get token: received an empty token');
  return token;
}

async function getUserData(m: MetadataClient, token: string): Promise<Buffer> {
  return m.fetch({ url: USERDATA_URL, headers: { Accept: '*/*', 'Metadata-Token': token } });
}

export const akamai: Provider = {
  id: 'akamai',
  async fetch(ctx) {
    if (ctx.offline) throw new NeedNetError();
    const encoded = await withMetadata(ctx, async (m) => {
      const token = await getToken(m);
      try {
        return await getUserData(m, token);
      } catch (e) {
        if (!(e instanceof FetchError && e.status === 401)) throw wrapError('fetch userdata', e);
        ctx.log.warn('metadata token refused (401); getting a new one');
      }
      try {
        return await getUserData(m, await getToken(m));
      } catch (e) {
        throw e instanceof Error && e.message.startsWith('get token:') ? e : wrapError('fetch userdata', e);
      }
    });
    let data: Buffer;
    try {
      data = decodeBase64(encoded);
    } catch (e) {
      throw wrapError('decode base64', e);
    }
    try {
      return { config: tryGunzip(data) };
    } catch (e) {
      throw wrapError('unzip', e);
    }
  },
};
