// fetch: everything happens in the engine (providers, rendering, the cache); the stage itself has
// nothing left to do, as in Ignition.
import type { Stage } from './stage.js';

export const fetch: Stage = {
  name: 'fetch',
  liveRefusals: () => [],
  run: async () => {},
};
