// Every platform id current Ignition accepts, each backed by one module. Add a platform: one file
// in this folder, one line here.
import type { Provider } from './provider.js';
import { file } from './file.js';
import { metal } from './metal.js';

const providers: Provider[] = [file, metal];

const byId = new Map(providers.map((p) => [p.id, p]));

export function getProvider(id: string): Provider | undefined {
  return byId.get(id);
}

/** Sorted platform ids, for usage messages. */
export function platformIds(): string[] {
  return [...byId.keys()].sort();
}
