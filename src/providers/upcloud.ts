// UpCloud: the user data is one GET on the metadata service; 404 = no config.
import { userDataProvider } from './userdata.js';

export const upcloud = userDataProvider({
  id: 'upcloud',
  url: 'http://169.254.169.254/metadata/v1/user_data',
  notFound: 'none',
});
