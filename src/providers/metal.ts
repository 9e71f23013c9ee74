// Bare metal: the config comes only from the kernel command line or the system directories, which
// the engine asks first; the platform itself has nothing to give.
import type { Provider } from './provider.js';

export const metal: Provider = {
  id: 'metal',
  fetch: async () => ({ config: null }),
};
