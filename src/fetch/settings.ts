// Fetcher settings (timeouts, CA bundles, proxy) taken from a config, as Ignition applies them to
// the fetches that follow. CA bundles are themselves resources: fetched with the settings so far.
import type { FetchOptions } from './index.js';
import type { Config } from '../generated/types.js';
import type { FetcherFactory } from './resource-fetcher.js';

export async function settingsFrom(config: Config, base: FetchOptions, factory: FetcherFactory): Promise<FetchOptions> {
  const cas: string[] = [];
  const refs = config.ignition.security?.tls?.certificateAuthorities ?? [];
  if (refs.length > 0) {
    const f = factory(base);
    try {
      for (const r of refs) cas.push((await f.toBuffer(r)).toString('utf8'));
    } finally {
      await f.close();
    }
  }
  return {
    ...base,
    timeouts: config.ignition.timeouts ?? null,
    cas: cas.length > 0 ? cas : null,
    proxy: config.ignition.proxy ?? null,
  };
}
