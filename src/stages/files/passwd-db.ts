// Users and groups of the TARGET root, read from its /etc/passwd and /etc/group (never the host's
// NSS). Pure parsing plus a reader over a RootView.
import type { RootView } from './rootview.js';
import { resolveInRoot } from './resolve.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
}

export interface AccountDb {
  users: Map<string, PasswdEntry>;
  groups: Map<string, GroupEntry>;
}

function lines(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('+') && !l.startsWith('-'))
    .map((l) => l.split(':'));
}

export function parsePasswd(text: string): Map<string, PasswdEntry> {
  const m = new Map<string, PasswdEntry>();
  for (const f of lines(text)) {
    if (f.length < 7 || m.has(f[0])) continue; // first entry wins, as getpwnam does
    m.set(f[0], { name: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5] });
  }
  return m;
}

export function parseGroup(text: string): Map<string, GroupEntry> {
  const m = new Map<string, GroupEntry>();
  for (const f of lines(text)) {
    if (f.length < 3 || m.has(f[0])) continue;
    m.set(f[0], { name: f[0], gid: Number(f[2]) });
  }
  return m;
}

export function readAccountDb(view: RootView): AccountDb {
  const read = (p: string) => view.readText(resolveInRoot(view, p, { followLast: true })) ?? '';
  return { users: parsePasswd(read('/etc/passwd')), groups: parseGroup(read('/etc/group')) };
}
