// RFC 2397 data: URLs, decoded to bytes. Pure.
import { FetchError } from './errors.js';

export interface DataUrl {
  mediaType: string;
  base64: boolean;
  data: Buffer;
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes `data:[<mediatype>][;base64],<data>`; throws FetchError('invalid') when malformed. */
export function decodeDataUrl(url: string): DataUrl {
  if (!/^data:/i.test(url)) throw new FetchError('invalid', 'invalid data URL: missing data: prefix');
  const comma = url.indexOf(',');
  if (comma < 0) throw new FetchError('invalid', 'invalid data URL: missing comma');
  const params = url.slice(5, comma).split(';');
  const base64 = params.length > 1 && params[params.length - 1].toLowerCase() === 'base64';
  if (base64) params.pop();
  const mediaType = params.join(';') || 'text/plain;charset=US-ASCII';
  const payload = percentDecode(url.slice(comma + 1));
  if (!base64) return { mediaType, base64, data: payload };
  // base64 payloads may themselves be percent-encoded and wrapped; RFC 2045 padding is optional here.
  const text = payload.toString('latin1').replace(/[\r\n\t ]/g, '');
  if (!BASE64_RE.test(text) || text.length % 4 === 1) throw new FetchError('invalid', 'invalid data URL: bad base64 payload');
  return { mediaType, base64, data: Buffer.from(text, 'base64') };
}

function percentDecode(s: string): Buffer {
  if (!s.includes('%')) return Buffer.from(s, 'utf8');
  const out: number[] = [];
  const src = Buffer.from(s, 'utf8');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === 0x25 /* % */) {
      const hex = src.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new FetchError('invalid', 'invalid data URL: bad percent escape');
      out.push(parseInt(hex, 16));
      i += 2;
    } else {
      out.push(c);
    }
  }
  return Buffer.from(out);
}
