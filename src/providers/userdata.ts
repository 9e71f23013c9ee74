// The common shape of a metadata-service provider: one GET of the user data, with the platform's
// headers, retry codes and decoding, where a 404 either means "no config" or is an error.
import { nullIfNotFound, withMetadata, type MetadataRequest } from './http.js';
import type { Provider, ProviderContext, ProviderResult } from './provider.js';

export interface UserDataService extends Omit<MetadataRequest, 'url'> {
  id: string;
  url: string;
  /** What a 404 means: no config (most clouds) or an error (digitalocean, packet). */
  notFound: 'none' | 'error';
  /** Undoes the platform's encoding (e.g. base64); gets the raw body, never null. */
  decode?: (body: Buffer) => Buffer;
}

export async function fetchUserData(ctx: ProviderContext, s: UserDataService): Promise<ProviderResult> {
  return withMetadata(ctx, async (m) => {
    const req = { ...s, url: s.url };
    const body = s.notFound === 'none' ? await nullIfNotFound(m.fetch(req)) : await m.fetch(req);
    if (body === null) return { config: null };
    return { config: s.decode ? s.decode(body) : body };
  });
}

/** A provider that is exactly one user-data GET. */
export function userDataProvider(s: UserDataService): Provider {
  return { id: s.id, fetch: (ctx) => fetchUserData(ctx, s) };
}
