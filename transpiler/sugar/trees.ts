// storage.trees: every file, symlink (and, with owner or dir_mode settings, directory) under a
// files-dir directory becomes a storage entry of the user's config. Entries the user already wrote
// for the same path keep their settings and only receive the missing contents or target.
import path from 'node:path';
import { inRange } from '../../src/model/versions.js';
import { setDataSource } from './base.js';
import { Ctx, isObj } from '../core/context.js';
import type { Obj, Path } from '../butane/tree.js';
import { LocalError } from '../core/local.js';
import { addEntry } from '../core/provenance.js';

const CONFLICT = 'matching filesystem node has existing contents or different type';

export function translateTrees(ctx: Ctx, src: Obj, out: Obj): void {
  const storageSrc = src.storage;
  if (!isObj(storageSrc) || !Array.isArray(storageSrc.trees)) return;
  const storage = () => (isObj(out.storage) ? out.storage : {});
  const list = (k: string) => ((storage()[k] as Obj[] | undefined) ?? []);
  const modesAllowed = inRange(ctx.spec.ignition, '3.6.0');

  storageSrc.trees.forEach((tree, i) => {
    const at: Path = ['storage', 'trees', i];
    if (!isObj(tree)) return;
    if (typeof tree.local !== 'string' || tree.local === '') {
      ctx.error('tree-local', 'local is required', [...at, 'local'], 'name a directory under --files-dir');
      return;
    }
    let entries;
    try {
      entries = ctx.local.walk(tree.local);
    } catch (e) {
      if (e instanceof LocalError) ctx.error('local-file', e.message, at, e.hint);
      else throw e;
      return;
    }
    const dest = typeof tree.path === 'string' && tree.path !== '' ? tree.path : '/';
    const owner = (o: Obj) => {
      if (!modesAllowed) return;
      if (isObj(tree.user)) o.user = { ...tree.user };
      if (isObj(tree.group)) o.group = { ...tree.group };
    };
    const withDirs = modesAllowed && (tree.dir_mode !== undefined || tree.user !== undefined || tree.group !== undefined);
    const find = (k: string, p: string) => list(k).findIndex((e) => e.path === p);
    const add = (k: string, entry: Obj) => addEntry(out, ctx.userSources, 'storage', k, entry, at);
    const conflict = (kinds: string[], p: string) => kinds.some((k) => find(k, p) >= 0);

    for (const e of entries) {
      const target = path.posix.join(dest, e.rel);
      if (e.kind === 'other') {
        ctx.error('tree-node', 'trees may only contain files, directories, and symlinks', at);
        return;
      }
      if (e.kind === 'dir') {
        if (!withDirs) continue;
        if (conflict(['files', 'links'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = find('directories', target);
        if (j >= 0) continue; // the user's own entry wins
        const d: Obj = { path: target, mode: typeof tree.dir_mode === 'number' ? tree.dir_mode : 0o755 };
        owner(d);
        add('directories', d);
      } else if (e.kind === 'file') {
        if (conflict(['directories', 'links'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = find('files', target);
        if (j >= 0) {
          const existing = list('files')[j];
          if (isObj(existing.contents) && existing.contents.source !== undefined) {
            ctx.error('tree-conflict', CONFLICT, at);
            continue;
          }
          const contents: Obj = isObj(existing.contents) ? existing.contents : {};
          const compression = contents.compression;
          setDataSource(ctx, contents, e.data!, compression);
          const here = ['storage', 'files', j, 'contents'];
          if (!isObj(existing.contents)) ctx.userSources.set(here, at);
          existing.contents = contents;
          ctx.userSources.set([...here, 'source'], at);
          if (contents.compression !== compression) ctx.userSources.set([...here, 'compression'], at);
          continue;
        }
        const f: Obj = { path: target, contents: {} };
        setDataSource(ctx, f.contents as Obj, e.data!, undefined);
        f.mode = typeof tree.file_mode === 'number' ? tree.file_mode : e.executable ? 0o755 : 0o644;
        owner(f);
        add('files', f);
      } else {
        if (conflict(['directories', 'files'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = find('links', target);
        if (j >= 0) {
          const existing = list('links')[j];
          if (existing.target !== undefined) {
            ctx.error('tree-conflict', CONFLICT, at);
            continue;
          }
          existing.target = e.target;
          ctx.userSources.set(['storage', 'links', j, 'target'], at);
          continue;
        }
        const l: Obj = { path: target, target: e.target };
        owner(l);
        add('links', l);
      }
    }
  });
}
