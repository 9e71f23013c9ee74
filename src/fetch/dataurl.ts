// data: URLs for the fetcher: the one decoder (src/config/url.ts, shared with validation), with its
// errors turned into fetch errors.
import { decodeDataUrl as decode, type DataUrl } from '../config/url.js';
import { FetchError } from './errors.js';

export type { DataUrl };

/** Decodes `data:[<mediatype>][;base64],<data>`; throws FetchError('invalid') when malformed. */
export function decodeDataUrl(url: string): DataUrl {
  try {
    return decode(url);
  } catch (e) {
    throw new FetchError('invalid', `invalid data URL: ${(e as Error).message}`);
  }
}
