// Oracle Cloud: IMDSv2 user data, base64-encoded, with the fixed `Bearer Oracle` authorization;
// 429 is retried like a 5xx; 404 = no config.
import { decodeBase64 } from './decode.js';
import { userDataProvider } from './userdata.js';

export const oraclecloud = userDataProvider({
  id: 'oraclecloud',
  url: 'http://169.254.169.254/opc/v2/instance/metadata/user_data',
  headers: { Authorization: 'Bearer Oracle' },
  retryCodes: [429],
  notFound: 'none',
  decode: (body) => {
    try {
      return decodeBase64(body);
    } catch (e) {
      throw new Error(`decoding userdata: ${(e as Error).message}`);
    }
  },
});
