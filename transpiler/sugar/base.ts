// The distro-neutral layer: copies every Ignition field of the decoded config into a fresh Ignition
// object (dropping sugar keys) and desugars the fields that are translated in place: inline/local
// resources, contents_local of units and drop-ins, ssh_authorized_keys_local, and the decimal-mode
// warning.
import { isList, object, refOf } from '../../src/model/view.js';
import { inRange } from '../../src/model/versions.js';
import { Ctx, isObj } from '../core/context.js';
import { encodeDataUrl, percentEscape } from '../encoding/dataurl.js';
import type { Butane, Draft, DraftOf, Obj, Path } from '../butane/tree.js';
import { checkEmbeddedConfig } from './embedded.js';
import { LocalError } from '../core/local.js';
import { childPath } from '../../src/diag/config-path.js';
import { utf8Bytes } from '../../src/host/utf8.js';

export function translateBase(ctx: Ctx, src: Butane.Config): Draft {
  // The copy follows the model field by field, so it has the model's (Ignition's) shape.
  const out = copyObject(ctx, src as Obj, 'Config', []);
  // What the in-place sugar recorded stays; every other value came from its own place in the YAML.
  ctx.userSources.copiedInPlace([], out);
  return out as Draft;
}

/** A copy of the Ignition fields of `v` (each value stays at its decoded path). */
function copyObject(ctx: Ctx, v: Obj, objName: string, path: Path): Obj {
  const def = object(objName);
  const out: Obj = {};
  for (const k in v) {
    const val = v[k];
    const f = def.fields.get(k);
    if (!f) continue; // sugar, handled by its own translator
    const ref = refOf(f.type);
    if (ref && isList(f.type) && Array.isArray(val)) out[k] = copyList(ctx, val, ref, childPath(path, k));
    else if (ref && isObj(val)) out[k] = copyObject(ctx, val, ref, childPath(path, k));
    else out[k] = Array.isArray(val) ? val.slice() : val;
  }
  inPlaceSugar(ctx, v, out, objName, path);
  return out;
}

function copyList(ctx: Ctx, items: unknown[], ref: string, path: Path): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) out.push(isObj(items[i]) ? copyObject(ctx, items[i] as Obj, ref, childPath(path, i)) : items[i]);
  return out;
}

/** The model names the object, so here the generic copy meets the typed sugar of that object. */
function inPlaceSugar(ctx: Ctx, v: Obj, out: Obj, objName: string, path: Path): void {
  if (objName === 'Resource') translateResource(ctx, v as Butane.Resource, out as DraftOf<'Resource'>, path);
  else if (objName === 'Unit' || objName === 'Dropin') contentsLocal(ctx, v as Butane.Unit | Butane.Dropin, out as DraftOf<'Unit' | 'Dropin'>, path);
  else if (objName === 'PasswdUser') sshKeysLocal(ctx, v as Butane.PasswdUser, out as DraftOf<'PasswdUser'>, path);
  else if (objName === 'File' || objName === 'Directory') checkMode(ctx, out.mode, childPath(path, 'mode'), objName === 'Directory');
}

/** Reads a local file, reporting failures at `at`. */
export function readLocal(ctx: Ctx, rel: string, at: Path): Buffer | undefined {
  try {
    return ctx.local.read(rel);
  } catch (e) {
    if (e instanceof LocalError) ctx.error('local-file', e.message, at, e.hint);
    else throw e;
    return undefined;
  }
}

/** True when auto-compression applies to resources of this pair. */
export const canCompress = (ctx: Ctx) => ctx.compress && ctx.spec.autoCompress && inRange(ctx.spec.ignition, '3.1.0');

/** Sets `source` (and `compression`) of an output resource from raw bytes, as Butane does. */
export function setDataSource(ctx: Ctx, out: DraftOf<'Resource'>, data: Uint8Array, userCompression: string | undefined): void {
  if (!inRange(ctx.spec.ignition, '3.1.0')) {
    // Butane's first version only percent-escapes and never touches compression.
    out.source = 'data:,' + percentEscape(data);
    return;
  }
  const mayCompress = (userCompression === undefined || userCompression === '') && canCompress(ctx);
  const enc = encodeDataUrl(data, mayCompress);
  out.source = enc.source;
  if (enc.gzip) out.compression = 'gzip';
  else if (userCompression === undefined) out.compression = '';
}

function translateResource(ctx: Ctx, v: Butane.Resource, out: DraftOf<'Resource'>, path: Path): void {
  const set = (['inline', 'local', 'source'] as const).filter((k) => v[k] !== undefined);
  if (set.length > 1) {
    ctx.error('resource-exclusive', 'only one of the following can be set: inline, local, source', [...path, set[set.length - 1]]);
    return;
  }
  const which = set[0];
  if (which !== 'inline' && which !== 'local') return;
  let data: Uint8Array | undefined;
  if (which === 'inline') data = utf8Bytes(v.inline ?? '');
  else data = readLocal(ctx, v.local ?? '', childPath(path, 'local'));
  if (!data) return;
  if (path[0] === 'ignition' && path[1] === 'config' && which === 'inline') checkEmbeddedConfig(ctx, data, path);
  setDataSource(ctx, out, data, v.compression);
  ctx.userSources.set(childPath(path, 'source'), childPath(path, which));
  // A compression the encoder chose comes from the data; one the user wrote stays theirs.
  if (out.compression !== undefined)
    ctx.userSources.set(childPath(path, 'compression'), childPath(path, out.compression === v.compression ? 'compression' : which));
}

function contentsLocal(ctx: Ctx, v: Butane.Unit | Butane.Dropin, out: DraftOf<'Unit' | 'Dropin'>, path: Path): void {
  if (v.contents_local === undefined) return;
  if (v.contents !== undefined) {
    ctx.error('contents-exclusive', 'only one of the following can be set: contents, contents_local', childPath(path, 'contents_local'));
    return;
  }
  const data = readLocal(ctx, v.contents_local, childPath(path, 'contents_local'));
  if (!data) return;
  out.contents = data.toString('utf8');
  ctx.userSources.set(childPath(path, 'contents'), childPath(path, 'contents_local'));
}

function sshKeysLocal(ctx: Ctx, v: Butane.PasswdUser, out: DraftOf<'PasswdUser'>, path: Path): void {
  const files = v.ssh_authorized_keys_local ?? [];
  if (files.length === 0) return;
  const keys = out.sshAuthorizedKeys ?? [];
  files.forEach((f, i) => {
    const data = readLocal(ctx, f, childPath(path, 'ssh_authorized_keys_local', i));
    if (!data) return;
    for (const line of data.toString('utf8').split(/\r?\n/)) {
      if (line === '') continue;
      ctx.userSources.set(childPath(path, 'sshAuthorizedKeys', keys.length), childPath(path, 'ssh_authorized_keys_local', i));
      keys.push(line);
    }
  });
  if (keys.length && out.sshAuthorizedKeys === undefined) {
    out.sshAuthorizedKeys = keys;
    ctx.userSources.set(childPath(path, 'sshAuthorizedKeys'), childPath(path, 'ssh_authorized_keys_local'));
  }
}

/** Butane's warning for modes that look like octal written without the leading zero. */
export function checkMode(ctx: Ctx, mode: unknown, at: Path, directory: boolean): void {
  if (typeof mode !== 'number') return;
  const octal = octalIntended(mode, directory);
  if (octal !== undefined) {
    ctx.warn(
      'decimal-mode',
      'unreasonable mode would be reasonable if specified in octal; remember to add a leading zero',
      at,
      `did you mean 0${mode}? (that is ${octal} in decimal)`,
    );
  }
}

/** The mode meant when `mode` was written in decimal by mistake (`644` for 0644); undefined when it looks deliberate. Also used by lint. */
export function octalIntended(mode: number, directory: boolean): number | undefined {
  const octal = decimalAsOctal(mode);
  return octal !== undefined && !typicalMode(mode, directory) && typicalMode(octal, directory) ? octal : undefined;
}

function decimalAsOctal(mode: number): number | undefined {
  if (mode < 0 || mode > 7777) return undefined;
  let out = 0;
  for (const ch of String(mode)) {
    const d = Number(ch);
    if (d > 7) return undefined;
    out = out * 8 + d;
  }
  return out;
}

/** An unsurprising permission set: each wider class has a subset of the narrower one's bits, etc. */
function typicalMode(mode: number, directory: boolean): boolean {
  if (mode === 0) return true;
  let r = false;
  let w = false;
  let x = false;
  for (const shift of [0, 3, 6]) {
    const p = (mode >> shift) & 7;
    const pr = (p & 4) !== 0;
    const pw = (p & 2) !== 0;
    const px = (p & 1) !== 0;
    if ((r && !pr) || (w && !pw) || (x && !px)) return false;
    if (px && r && !x) return false;
    if ((pw || px) && !pr) return false;
    r ||= pr;
    w ||= pw;
    x ||= px;
  }
  if (!r) return false;
  if (directory) {
    if (!x || mode & 0o4000) return false;
    if (mode & 0o3000 && !w) return false;
  } else {
    if (mode & 0o6000 && (!x || mode & 2)) return false;
    if (mode & 0o1000) return false;
  }
  return true;
}
