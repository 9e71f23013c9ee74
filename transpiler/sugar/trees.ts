// storage.trees: every file, symlink (and, with owner or dir_mode settings, directory) under a
// files-dir directory becomes a storage entry of the user's config. Entries the user already wrote
// for the same path keep their settings and only receive the missing contents or target.
import path from 'node:path';
import { inRange } from '../../src/model/versions.js';
import { setDataSource } from './base.js';
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, DraftOf, Path } from '../butane/tree.js';
import { LocalError } from '../core/local.js';
import { addEntry, nodes, pathTaken, type EntryOf, type NodeList } from '../core/draft.js';
import { childPath } from '../../src/diag/config-path.js';

const CONFLICT = 'matching filesystem node has existing contents or different type';

export function translateTrees(ctx: Ctx, src: Butane.Config, out: Draft): void {
  const modesAllowed = inRange(ctx.spec.ignition, '3.6.0');

  (src.storage?.trees ?? []).forEach((tree, i) => {
    const at: Path = ['storage', 'trees', i];
    if (!tree.local) {
      ctx.error('tree-local', 'local is required', childPath(at, 'local'), 'name a directory under --files-dir');
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
    const dest = tree.path || '/';
    const owner = <T extends DraftOf<'Directory' | 'File' | 'Link'>>(o: T): T => {
      if (modesAllowed && tree.user) o.user = { ...tree.user };
      if (modesAllowed && tree.group) o.group = { ...tree.group };
      return o;
    };
    const withDirs = modesAllowed && (tree.dir_mode !== undefined || tree.user !== undefined || tree.group !== undefined);
    const find = (list: NodeList, p: string) => nodes(out, list).findIndex((e) => e.path === p);
    const add = <L extends NodeList>(list: L, entry: EntryOf<'storage', L>) => addEntry(out, ctx.userSources, 'storage', list, entry, at);
    const conflict = (lists: NodeList[], p: string) => pathTaken(out, p, lists);

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
        add('directories', owner({ path: target, mode: tree.dir_mode ?? 0o755 }));
      } else if (e.kind === 'file') {
        if (conflict(['directories', 'links'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = find('files', target);
        if (j >= 0) {
          const existing = nodes(out, 'files')[j];
          if (existing.contents?.source !== undefined) {
            ctx.error('tree-conflict', CONFLICT, at);
            continue;
          }
          const here = ['storage', 'files', j, 'contents'];
          if (!existing.contents) ctx.userSources.set(here, at);
          const contents = (existing.contents ??= {});
          const compression = contents.compression;
          setDataSource(ctx, contents, e.data!, compression);
          ctx.userSources.set(childPath(here, 'source'), at);
          if (contents.compression !== compression) ctx.userSources.set(childPath(here, 'compression'), at);
          continue;
        }
        const contents: DraftOf<'Resource'> = {};
        setDataSource(ctx, contents, e.data!, undefined);
        add('files', owner({ path: target, contents, mode: tree.file_mode ?? (e.executable ? 0o755 : 0o644) }));
      } else {
        if (conflict(['directories', 'files'], target)) {
          ctx.error('tree-conflict', CONFLICT, at);
          continue;
        }
        const j = find('links', target);
        if (j >= 0) {
          const existing = nodes(out, 'links')[j];
          if (existing.target !== undefined) {
            ctx.error('tree-conflict', CONFLICT, at);
            continue;
          }
          existing.target = e.target;
          ctx.userSources.set(['storage', 'links', j, 'target'], at);
          continue;
        }
        add('links', owner({ path: target, target: e.target }));
      }
    }
  });
}
