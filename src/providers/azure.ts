// Microsoft Azure: the IMDS `userData` (base64, `Metadata: true`; 404, 410 and 429 are retried like
// a 5xx, as cloud-init does, until the fetch timeout). When it is empty, the custom data on the
// UDF provisioning disc is used instead. Needs the network: NeedNetError in fetch-offline.
import { NeedNetError } from '../fetch/errors.js';
import { fetchFromOvfDevice } from './azure-ovf.js';
import { decodeBase64 } from './decode.js';
import { withMetadata, wrapError } from './http.js';
import type { Provider } from './provider.js';

const USERDATA_URL = 'http://169.254.169.254/metadata/instance/compute/userData?api-version=2021-01-01&format=text';

export const azure: Provider = {
  id: 'azure',
  async fetch(ctx) {
    if (ctx.offline) throw new NeedNetError();
    const encoded = await withMetadata(ctx, (m) =>
      m.fetch({ url: USERDATA_URL, headers: { Metadata: 'true' }, retryCodes: [404, 410, 429] }).catch((e: unknown) => {
        throw wrapError('fetching to buffer', e);
      }),
    );
    if (encoded.length === 0) {
      ctx.log.debug('no userdata in IMDS, falling back to custom data');
      return fetchFromOvfDevice(ctx, ['udf']);
    }
    let config: Buffer;
    try {
      config = decodeBase64(encoded);
    } catch (e) {
      throw wrapError('decoding userdata', e);
    }
    ctx.log.info('config has been read from IMDS userdata');
    return { config };
  },
};
