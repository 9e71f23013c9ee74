// Seeding a root the way the apply corpus was recorded (../shared/corpus/README.md, apply/ step 2):
// copy NAME.seed, give everything owner 0:0 and the normalised modes, then make the symlinks that
// NAME.links lists (a copy of the corpus may store a seed's symlink as a plain file holding its
// target; the list is the authority).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The symlinks of a case's seed: `path<TAB>target` lines, path relative to the root. */
export function seedLinks(linksFile: string): { path: string; target: string }[] {
  if (!fs.existsSync(linksFile)) return [];
  return fs
    .readFileSync(linksFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [p, target] = l.split('\t');
      return { path: p, target };
    });
}

/** Seeds `root` from `seed`: cp -a, owner 0:0 and normalised modes, then the listed symlinks. */
export function seedRoot(seed: string, root: string, linksFile: string): void {
  fs.cpSync(seed, root, { recursive: true, verbatimSymlinks: true });
  const walk = (p: string) => {
    for (const e of fs.readdirSync(p, { withFileTypes: true })) {
      const q = path.join(p, e.name);
      if (e.isSymbolicLink()) {
        fs.lchownSync(q, 0, 0);
        continue;
      }
      fs.chownSync(q, 0, 0);
      if (e.isDirectory()) {
        fs.chmodSync(q, 0o755);
        walk(q);
      } else if (e.isFile()) fs.chmodSync(q, fs.statSync(q).mode & 0o111 ? 0o755 : 0o644);
    }
  };
  walk(root);
  for (const l of seedLinks(linksFile)) {
    const at = path.join(root, l.path);
    fs.rmSync(at, { recursive: true, force: true });
    fs.symlinkSync(l.target, at);
  }
}
