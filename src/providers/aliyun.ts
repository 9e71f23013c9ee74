// Alibaba Cloud: the user data is one GET on the metadata service; 404 = no config.
import { userDataProvider } from './userdata.js';

export const aliyun = userDataProvider({
  id: 'aliyun',
  url: 'http://100.100.100.200/latest/user-data',
  notFound: 'none',
});
