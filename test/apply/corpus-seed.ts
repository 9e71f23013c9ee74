// The stored corpus lost the symlinks of its seed trees: each arrives as a regular file holding
// the link target (no trailing newline). The recorded trees prove they were symlinks (e.g.
// link-overwrite-34x's /usr/bin/editor is listed as `l`). This turns such files back into links
// after seeding, so the comparison is against what the reference engine actually saw.
import * as fs from 'node:fs';
import * as path from 'node:path';

const LINK_TEXT = /^(\/|\.\.\/)[^\s]*$/;

export function restoreFlattenedSymlinks(dir: string): string[] {
  const restored: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.statSync(p).size < 256) {
        const text = fs.readFileSync(p, 'utf8');
        if (LINK_TEXT.test(text)) {
          fs.rmSync(p);
          fs.symlinkSync(text, p);
          restored.push(p);
        }
      }
    }
  };
  walk(dir);
  return restored;
}

/** Seeds `root` from `seed` the way the recorder did (cp -a, then owner 0:0 and normalised modes). */
export function seedRoot(seed: string, root: string): void {
  fs.cpSync(seed, root, { recursive: true, verbatimSymlinks: true });
  restoreFlattenedSymlinks(root);
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
}
