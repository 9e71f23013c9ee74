// Azure Stack: no IMDS user data, only the provisioning disc (UDF or ISO 9660), polled until found.
import { fetchFromOvfDevice } from './azure-ovf.js';
import type { Provider } from './provider.js';

export const azurestack: Provider = {
  id: 'azurestack',
  fetch: (ctx) => fetchFromOvfDevice(ctx, ['udf', 'iso9660']),
};
