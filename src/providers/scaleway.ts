// Scaleway: the metadata service answers only requests from a privileged source port (1-1022).
// Ignition picks one port per fetch and keeps it for every retry, so a retry after a 5xx fails to
// bind (`address already in use`) until the fetch times out; here every new connection picks a
// fresh port (skipping busy ones), so retries work.
import { randomPrivilegedPort } from '../fetch/connect.js';
import { userDataProvider } from './userdata.js';

export const scaleway = userDataProvider({
  id: 'scaleway',
  url: 'http://169.254.42.42/user_data/cloud-init',
  pin: { sourcePort: randomPrivilegedPort },
  notFound: 'none',
});
