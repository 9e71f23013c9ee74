// systemd.quadlets (1.8.0-experimental): Podman quadlet files written where Podman's systemd
// generator looks for them; template instances become links to their template.
import { readLocal, setDataSource } from './base.js';
import { Ctx, isObj } from '../core/context.js';
import type { Obj, Path } from '../butane/tree.js';

const EXTENSIONS = ['.container', '.volume', '.network', '.kube', '.image', '.build', '.pod', '.artifact'];
const CONFLICT = 'matching filesystem node has existing contents or different type';

export function translateQuadlets(ctx: Ctx, src: Obj, out: Obj): void {
  const systemd = src.systemd;
  if (!isObj(systemd) || !Array.isArray(systemd.quadlets)) return;
  const storage = (out.storage ??= {}) as Obj;
  const list = (k: string) => ((storage[k] ??= []) as Obj[]);
  const taken = (p: string) => ['files', 'directories', 'links'].some((k) => ((storage[k] as Obj[] | undefined) ?? []).some((e) => e.path === p));

  // The file's bytes; a quadlet or drop-in without contents is an empty file. An empty
  // contents_local counts as unset, as in Butane.
  const body = (q: Obj, at: Path): Buffer | undefined => {
    if (q.contents !== undefined && q.contents_local !== undefined) {
      ctx.error('contents-exclusive', 'only one of the following can be set: contents, contents_local', [...at, 'contents_local']);
      return undefined;
    }
    if (typeof q.contents_local === 'string' && q.contents_local !== '') return readLocal(ctx, q.contents_local, [...at, 'contents_local']);
    return Buffer.from(typeof q.contents === 'string' ? q.contents : '', 'utf8');
  };
  const addFile = (p: string, data: Buffer, at: Path) => {
    if (taken(p)) return ctx.error('quadlet-conflict', CONFLICT, at);
    const f: Obj = { path: p, contents: {}, mode: 0o644 };
    setDataSource(ctx, f.contents as Obj, data, undefined);
    ctx.userProv.whole(['storage', 'files', list('files').length], at);
    list('files').push(f);
  };

  (systemd.quadlets as Obj[]).forEach((q, i) => {
    const at: Path = ['systemd', 'quadlets', i];
    const name = typeof q.name === 'string' ? q.name : '';
    if (!name) return ctx.error('quadlet-name', 'name is required', [...at, 'name']);
    const ext = EXTENSIONS.find((e) => name.endsWith(e));
    if (!ext) return ctx.error('quadlet-extension', 'invalid quadlet extension', [...at, 'name'], `use one of ${EXTENSIONS.join(', ')}`);
    const dir = q.rootful === true ? '/etc/containers/systemd' : '/etc/containers/systemd/users';
    const p = `${dir}/${name}`;
    const stem = name.slice(0, -ext.length);
    const at_ = stem.indexOf('@');
    const instance = at_ >= 0 && at_ < stem.length - 1;
    if (instance) {
      if (q.contents !== undefined || q.contents_local !== undefined) {
        ctx.error('quadlet-instance', 'template instances cannot have contents or contents_local', at);
      } else if (taken(p)) ctx.error('quadlet-conflict', CONFLICT, at);
      else {
        ctx.userProv.whole(['storage', 'links', list('links').length], at);
        list('links').push({ path: p, target: `${stem.slice(0, at_ + 1)}${ext}` });
      }
    } else {
      const data = body(q, at);
      if (data) addFile(p, data, at);
    }
    if (Array.isArray(q.dropins)) {
      (q.dropins as Obj[]).forEach((d, j) => {
        const dat: Path = [...at, 'dropins', j];
        if (typeof d.name !== 'string' || d.name === '') return ctx.error('quadlet-dropin-name', 'name is required', [...dat, 'name']);
        const data = body(d, dat);
        if (data) addFile(`${p}.d/${d.name}`, data, dat);
      });
    }
  });
  for (const k of ['files', 'links']) if (Array.isArray(storage[k]) && (storage[k] as Obj[]).length === 0) delete storage[k];
  if (Object.keys(storage).length === 0) delete out.storage;
}
