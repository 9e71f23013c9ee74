// Data URLs back to `inline` text or `local` files, where Butane's encoding of those bytes is the
// same source (and compression) again: the shortest of percent-escaping, base64 and gzip, with
// `compression: ""` written unless gzip won, or plain percent-escaping for the fcos 1.0 base.
import type { ConfigPath } from '../../src/diag/diagnostic.js';
import { inlineBytes } from '../../src/config/dataurl.js';
import { inRange } from '../../src/model/versions.js';
import type { Obj } from '../butane/tree.js';
import { encodeDataUrl, percentEscape } from '../encoding/dataurl.js';
import type { YamlValue } from './emit.js';
import type { Walk } from './walk.js';

/** The source and compression Butane writes for `data`. */
function butaneEncoding(ctx: Walk, data: Buffer): { source: string; compression?: string } {
  if (!inRange(ctx.spec.ignition, '3.1.0')) return { source: 'data:,' + percentEscape(data) };
  const enc = encodeDataUrl(data, ctx.spec.autoCompress);
  return { source: enc.source, compression: enc.gzip ? 'gzip' : '' };
}

/** Where a resource's local file goes, relative to the files directory. */
function localName(path: ConfigPath, config: Obj): string {
  const [a, b, i, c, j] = path;
  if (a === 'storage' && b === 'files' && typeof i === 'number') {
    const file = Array.isArray((config.storage as Obj | undefined)?.files) ? ((config.storage as Obj).files as Obj[])[i] : undefined;
    const base = String(file?.path ?? `file-${i}`).replace(/^\/+/, '');
    return c === 'append' ? `${base}.append-${String(j)}` : base;
  }
  if (a === 'storage' && b === 'luks') return `luks/key-file-${String(i)}`;
  if (a === 'ignition' && b === 'config') return c === undefined ? 'ignition/replace.ign' : `ignition/merge-${String(c)}.ign`;
  return `ignition/ca-${String(path[path.length - 1])}.pem`;
}

/** Rewrites a translated resource `out` to inline/local when the bytes come back the same. */
export function resourceSugar(ctx: Walk, v: Obj, out: Record<string, YamlValue>, path: ConfigPath): void {
  const data = inlineBytes(v);
  if (!data) return;
  const back = butaneEncoding(ctx, data);
  if (back.source !== v.source || back.compression !== v.compression) return;
  const text = data.toString('utf8');
  const isText = Buffer.from(text, 'utf8').equals(data);
  const local = ctx.filesDir && inRange(ctx.spec.ignition, '3.1.0');
  if (!local && !isText) return;
  delete out.source;
  delete out.compression;
  if (!local) {
    out.inline = text;
    return;
  }
  const rel = localName(path, ctx.root);
  const taken = ctx.localFiles.get(rel);
  if (taken && !taken.equals(data)) {
    // Two resources want one name: this one stays inline or a data URL.
    if (isText) out.inline = text;
    else Object.assign(out, { source: v.source, ...(v.compression !== undefined ? { compression: v.compression } : {}) });
    return;
  }
  ctx.localFiles.set(rel, data);
  out.local = rel;
}
