// Equinix Metal (Packet): `GET https://metadata.packet.net/userdata` (Accept */*; a 404 is an
// error). After each stage the status hook reads `phone_home_url` from `/metadata` and POSTs the
// outcome to `<phone_home_url minus /phone-home>/events`, as Ignition does.
import { withMetadata } from './http.js';
import type { Provider } from './provider.js';

const USERDATA_URL = 'https://metadata.packet.net/userdata';
const METADATA_URL = 'https://metadata.packet.net/metadata';

/** Go's json.Marshal escapes these for HTML safety; the event body keeps Ignition's bytes. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The event Ignition posts for a stage's outcome. */
export function packetEvent(stage: string, error?: Error): string {
  return error
    ? goJson({ state: 'failed', message: `[${stage}] Ignition error: ${error.message}` })
    : goJson({ state: 'running', message: `[${stage}] Ignition status: finished successfully` });
}

export const packet: Provider = {
  id: 'packet',
  async fetch(ctx) {
    const config = await withMetadata(ctx, (m) => m.fetch({ url: USERDATA_URL, headers: { Accept: '*/*' } }));
    return { config };
  },
  async status(ctx, stage, error) {
    ctx.log.info('POST message to Packet Timeline');
    await withMetadata(ctx, async (m) => {
      const raw = await m.fetch({ url: METADATA_URL, headers: { Accept: '*/*' } });
      let phoneHome: unknown;
      try {
        phoneHome = (JSON.parse(raw.toString('utf8')) as { phone_home_url?: unknown }).phone_home_url;
      } catch (e) {
        throw new Error(`reading ${METADATA_URL}: ${(e as Error).message}`);
      }
      const base = typeof phoneHome === 'string' ? phoneHome.replace(/\/phone-home$/, '') : '';
      await m.post(`${base}/events`, packetEvent(stage, error), { 'content-type': 'application/json' });
    });
  },
};
