// DigitalOcean: the user data is one GET on the metadata service. As in Ignition, a 404 is an
// error here (`resource not found`), not "no config".
import { userDataProvider } from './userdata.js';

export const digitalocean = userDataProvider({
  id: 'digitalocean',
  url: 'http://169.254.169.254/metadata/v1/user-data',
  notFound: 'error',
});
