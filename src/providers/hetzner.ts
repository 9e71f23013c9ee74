// Hetzner Cloud: the user data is one GET on the metadata service; 404 = no config.
import { userDataProvider } from './userdata.js';

export const hetzner = userDataProvider({
  id: 'hetzner',
  url: 'http://169.254.169.254/hetzner/v1/userdata',
  notFound: 'none',
});
