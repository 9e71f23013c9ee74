// Google Compute Engine: the `user-data` instance attribute, asked with `Metadata-Flavor: Google`;
// 404 = no config (not retried).
import { userDataProvider } from './userdata.js';

export const gcp = userDataProvider({
  id: 'gcp',
  url: 'http://169.254.169.254/computeMetadata/v1/instance/attributes/user-data',
  headers: { 'Metadata-Flavor': 'Google' },
  notFound: 'none',
});
