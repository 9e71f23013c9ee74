// The executor's view of the resource fetcher: one Fetcher (one connection pool) per stage run,
// configured with the config's timeouts, CAs and proxy.
import { Fetcher, type FetchOptions } from './index.js';
import type { Resource } from '../generated/types.js';

export interface ResourceFetcher {
  /** Streams the (decompressed, verified) resource into a new file at `path`. */
  toFile(res: Resource, path: string): Promise<void>;
  /** Config-sized resources (configs, CA bundles) into memory. */
  toBuffer(res: Resource): Promise<Buffer>;
  close(): Promise<void>;
}

export type FetcherFactory = (opts: FetchOptions) => ResourceFetcher;

export const realFetcher: FetcherFactory = (opts) => {
  const f = new Fetcher(opts);
  return {
    toFile: async (res, path) => {
      await f.fetch(res, { path });
    },
    toBuffer: (res) => f.fetchToBuffer(res),
    close: () => f.close(),
  };
};
