// Which files `kindling lint PATH...` checks. A file named on the command line is always checked.
// Directories and glob patterns are searched for configs: every `*.bu` and `*.ign`, and `*.yaml`,
// `*.yml`, `*.json` files whose text is a config (decided when the file is read, so it is read once).
// Hidden entries and node_modules are skipped.
import fs from 'node:fs';
import nodePath from 'node:path';

export interface Candidate {
  path: string;
  /** Named on the command line: reported even when it is not a config. */
  explicit: boolean;
}

export interface Discovery {
  files: Candidate[];
  /** Operands that could not be searched: `operand` and why. */
  problems: { operand: string; message: string }[];
}

const ALWAYS = /\.(bu|ign)$/;
const MAYBE = /\.(ya?ml|json)$/;

export const isCandidateName = (name: string) => ALWAYS.test(name) || MAYBE.test(name);
/** A searched file of this name is a config even when its text does not look like one. */
export const isConfigByName = (name: string) => ALWAYS.test(name);

const hasGlob = (s: string) => /[*?[{]/.test(s);

export function discover(operands: readonly string[]): Discovery {
  const files: Candidate[] = [];
  const problems: Discovery['problems'] = [];
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    const key = path === '-' ? '-' : nodePath.resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ path, explicit });
  };
  for (const op of operands) {
    if (op === '-') {
      add(op, true);
      continue;
    }
    let st;
    try {
      st = fs.statSync(op);
    } catch (e) {
      if (hasGlob(op)) {
        const matched = expandGlob(op);
        if (!matched.length) problems.push({ operand: op, message: 'the pattern matches no config file' });
        for (const f of matched) add(f, false);
        continue;
      }
      const code = (e as NodeJS.ErrnoException).code;
      problems.push({ operand: op, message: code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message });
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(op, found, problems);
      for (const f of found.sort()) add(f, false);
    } else add(op, true);
  }
  return { files, problems };
}

function walk(dir: string, out: string[], problems: Discovery['problems'], match?: (rel: string) => boolean, base = dir): void {
  let names;
  try {
    names = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    problems.push({ operand: dir, message: (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message });
    return;
  }
  for (const d of names) {
    if (d.name.startsWith('.') || d.name === 'node_modules') continue;
    const p = dir === '.' ? d.name : nodePath.join(dir, d.name);
    if (d.isDirectory()) walk(p, out, problems, match, base);
    else if (d.isFile() && isCandidateName(d.name) && (!match || match(p))) out.push(p);
  }
}

/** The files a glob pattern (`*`, `**`, `?`, `[...]`, `{a,b}`) matches, sorted. */
export function expandGlob(pattern: string): string[] {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  while (parts.length > 1 && !hasGlob(parts[0])) fixed.push(parts.shift()!);
  const base = fixed.length ? (fixed.join('/') === '' ? '/' : fixed.join('/')) : '.';
  const re = globRegExp(pattern.startsWith('./') ? pattern.slice(2) : pattern);
  const out: string[] = [];
  walk(base, out, [], (p) => re.test(p));
  return out.sort();
}

export function globRegExp(glob: string): RegExp {
  let re = '';
  let inClass = false;
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (inClass) {
      if (c === ']') inClass = false;
      re += c === '\\' ? '\\\\' : c;
      continue;
    }
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      inClass = true;
      re += '[';
      if (glob[i + 1] === '!') {
        re += '^';
        i++;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
