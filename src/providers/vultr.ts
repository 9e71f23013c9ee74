// Vultr: the user data is one GET on the metadata service; 404 = no config.
import { userDataProvider } from './userdata.js';

export const vultr = userDataProvider({
  id: 'vultr',
  url: 'http://169.254.169.254/user-data/user-data',
  notFound: 'none',
});
