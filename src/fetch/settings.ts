// Fetcher settings (timeouts, CA bundles, proxy) taken from a config, as Ignition applies them to
// the fetches that follow. As in Ignition's UpdateHttpTimeoutsAndCAs, the config's timeouts and
// proxy take effect first and its CA bundles are then fetched with them (and with the CAs known so
// far): a bundle on a server that never answers fails within the config's httpTotal.
import type { FetchOptions } from './index.js';
import type { Config } from '../generated/types.js';
import { FetchError, isNeedNet } from './errors.js';
import { redactIn, redactUrl } from './redact.js';
import type { FetcherFactory } from './resource-fetcher.js';

export async function settingsFrom(config: Config, base: FetchOptions, factory: FetcherFactory): Promise<FetchOptions> {
  const next: FetchOptions = { ...base, timeouts: config.ignition.timeouts ?? null, proxy: config.ignition.proxy ?? null };
  const cas: string[] = [];
  const refs = config.ignition.security?.tls?.certificateAuthorities ?? [];
  if (refs.length > 0) {
    const f = factory(next);
    try {
      for (const r of refs) {
        try {
          cas.push((await f.toBuffer(r)).toString('utf8'));
        } catch (e) {
          throw caFetchError(e, r.source);
        }
      }
    } finally {
      await f.close();
    }
  }
  return { ...next, cas: cas.length > 0 ? cas : null };
}

/** The fetch error, naming the bundle's (redacted) URL; offline's NeedNetError passes unchanged. */
function caFetchError(e: unknown, source: string | null | undefined): unknown {
  if (isNeedNet(e)) return e;
  const url = redactUrl(source);
  const text = redactIn(e instanceof Error ? e.message : String(e), source);
  return new FetchError(e instanceof FetchError ? e.code : 'failed', `fetching CA bundle ${url}: ${text}`, { cause: e, url });
}
