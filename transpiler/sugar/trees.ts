// storage.trees: every file, symlink (and, with owner or dir_mode settings, directory) under a
// files-dir directory becomes a storage entry of the user's config. Entries the user already wrote
// for the same path keep their settings and only receive the missing contents or target.
import path from 'node:path';
import { inRange } from '../../src/model/versions.js';
import { setDataSource } from './base.js';
import { Ctx, isObj } from '../core/context.js';
import type { Obj, Path } from '../butane/tree.js';
import { LocalError } from '../core/local.js';

const CONFLICT = 'matching filesystem node has existing contents or different type';

export function translateTrees(ctx: Ctx, src: Obj, out: Obj): void {
  const storageSrc = src.storage;
  if (!isObj(storageSrc) || !Array.isArray(storageSrc.trees)) return;
  const storage = (out.storage ??= {}) as Obj;
  const list = (k: string) => ((storage[k] ??= []) as Obj[]);
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
    const files = storage.files as Obj[] | undefined;
    const find = (k: string, p: string) => ((storage[k] as Obj[] | undefined) ?? []).findIndex((e) => e.path === p);
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
        ctx.userProv.whole(['storage', 'directories', list('directories').length], at);
        list('directories').push(d);
      } else if (e.kind === 'file') {
        if (conflict(['directories', 'links'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = files ? find('files', target) : -1;
        if (j >= 0) {
          const existing = list('files')[j];
          if (isObj(existing.contents) && existing.contents.source !== undefined) {
            ctx.error('tree-conflict', CONFLICT, at);
            continue;
          }
          const contents: Obj = isObj(existing.contents) ? existing.contents : {};
          setDataSource(ctx, contents, e.data!, contents.compression);
          existing.contents = contents;
          ctx.userProv.whole(['storage', 'files', j, 'contents'], at);
          continue;
        }
        const f: Obj = { path: target, contents: {} };
        setDataSource(ctx, f.contents as Obj, e.data!, undefined);
        f.mode = typeof tree.file_mode === 'number' ? tree.file_mode : e.executable ? 0o755 : 0o644;
        owner(f);
        ctx.userProv.whole(['storage', 'files', list('files').length], at);
        list('files').push(f);
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
          ctx.userProv.whole(['storage', 'links', j, 'target'], at);
          continue;
        }
        const l: Obj = { path: target, target: e.target };
        owner(l);
        ctx.userProv.whole(['storage', 'links', list('links').length], at);
        list('links').push(l);
      }
    }
  });
  for (const k of ['directories', 'files', 'links']) if (Array.isArray(storage[k]) && (storage[k] as Obj[]).length === 0) delete storage[k];
  if (Object.keys(storage).length === 0) delete out.storage;
}
