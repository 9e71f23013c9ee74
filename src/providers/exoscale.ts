// Exoscale: the user data is one GET on the metadata service; 404 = no config.
import { userDataProvider } from './userdata.js';

export const exoscale = userDataProvider({
  id: 'exoscale',
  url: 'http://169.254.169.254/1.0/user-data',
  notFound: 'none',
});
