// systemd.quadlets (1.8.0-experimental): Podman quadlet files written where Podman's systemd
// generator looks for them; template instances become links to their template.
import { readLocal, setDataSource } from './base.js';
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, DraftOf, Path } from '../butane/tree.js';
import { addEntry, pathTaken } from '../core/draft.js';

const EXTENSIONS = ['.container', '.volume', '.network', '.kube', '.image', '.build', '.pod', '.artifact'];
const CONFLICT = 'matching filesystem node has existing contents or different type';

export function translateQuadlets(ctx: Ctx, src: Butane.Config, out: Draft): void {
  const quadlets = src.systemd?.quadlets;
  if (!quadlets) return;
  const taken = (p: string) => pathTaken(out, p);

  // The file's bytes; a quadlet or drop-in without contents is an empty file. An empty
  // contents_local counts as unset, as in Butane.
  const body = (q: Butane.Quadlet | Butane.QuadletDropin, at: Path): Buffer | undefined => {
    if (q.contents !== undefined && q.contents_local !== undefined) {
      ctx.error('contents-exclusive', 'only one of the following can be set: contents, contents_local', [...at, 'contents_local']);
      return undefined;
    }
    if (q.contents_local) return readLocal(ctx, q.contents_local, [...at, 'contents_local']);
    return Buffer.from(q.contents ?? '', 'utf8');
  };
  const addFile = (p: string, data: Buffer, at: Path) => {
    if (taken(p)) return ctx.error('quadlet-conflict', CONFLICT, at);
    const contents: DraftOf<'Resource'> = {};
    setDataSource(ctx, contents, data, undefined);
    addEntry(out, ctx.userSources, 'storage', 'files', { path: p, contents, mode: 0o644 }, at);
  };

  quadlets.forEach((q, i) => {
    const at: Path = ['systemd', 'quadlets', i];
    const name = q.name ?? '';
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
        addEntry(out, ctx.userSources, 'storage', 'links', { path: p, target: `${stem.slice(0, at_ + 1)}${ext}` }, at);
      }
    } else {
      const data = body(q, at);
      if (data) addFile(p, data, at);
    }
    if (q.dropins) {
      q.dropins.forEach((d, j) => {
        const dat: Path = [...at, 'dropins', j];
        if (!d.name) return ctx.error('quadlet-dropin-name', 'name is required', [...dat, 'name']);
        const data = body(d, dat);
        if (data) addFile(`${p}.d/${d.name}`, data, dat);
      });
    }
  });
}
