// passwd.groups / passwd.users → shadow-utils invocations with `--root`, argv exactly as current
// Ignition builds them (§3.6), with groupmod/usermod for entries that already exist so a second
// run converges instead of failing.
import type { Config } from '../../../generated/types.js';
import { readAccountDb } from '../passwd-db.js';
import { resolveInRoot } from '../resolve.js';
import type { PlanContext } from './context.js';
import { childPath } from '../../../diag/config-path.js';

export const PASSWD_GLOBS = ['/etc/passwd*', '/etc/group*', '/etc/shadow*', '/etc/gshadow*', '/etc/subuid*', '/etc/subgid*'];

const ACCOUNT_DB = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow'];

/**
 * useradd and groupadd --root work on the root's account database. Without /etc/passwd there is
 * none: they fail (`cannot lock /etc/group` when /etc is missing) or start one that has no root
 * user. Says which files are missing, as a plan error, so nothing runs. (shadow-utils creates
 * the others on demand.)
 */
function accountDbPresent(ctx: PlanContext): boolean {
  const missing = ACCOUNT_DB.filter((p) => ctx.sim.lstat(resolveInRoot(ctx.sim, p, { followLast: true }))?.kind !== 'file');
  if (!missing.includes('/etc/passwd')) return true;
  ctx.errors.push({
    message: `cannot create users or groups: the root has no ${missing.join(', ')}`,
    configPath: ['passwd'],
    hint: "useradd and groupadd need the root's account database: apply to the root of an installed system (or an unpacked image), or create those files first",
  });
  return false;
}

/**
 * usermod (for a user that exists) never creates the home directory useradd would have: after a
 * run cut off between useradd's database update and its mkdir, a re-run converges to a tree
 * without it. Said as a warning (an image's users may lack a home on purpose).
 */
function warnMissingHome(ctx: PlanContext, name: string, home: string | undefined): void {
  if (!home || home === '/') return;
  try {
    if (ctx.sim.lstat(resolveInRoot(ctx.sim, home, { followLast: true })) !== null) return;
  } catch {
    return; // a path that cannot be resolved is reported where it is used
  }
  ctx.warnings.push(
    `user ${JSON.stringify(name)} exists but its home directory ${home} does not, and usermod will not create it (was an earlier run interrupted?)`,
  );
}

export function planPasswd(ctx: PlanContext, config: Config, notatedDirectories: readonly string[]): void {
  const groups = config.passwd?.groups ?? [];
  const users = config.passwd?.users ?? [];
  if (groups.length === 0 && users.length === 0) return;
  if (!accountDbPresent(ctx)) return;
  const db = readAccountDb(ctx.sim);
  const groupNames = new Set(db.groups.keys());
  const userNames = new Set(db.users.keys());
  const { tools, root } = ctx;

  groups.forEach((g, i) => {
    const cp = ['passwd', 'groups', i];
    const name = g.name ?? '';
    const exists = groupNames.has(name);
    if (g.shouldExist === false) {
      if (exists) {
        ctx.ops.push({ kind: 'group', action: 'delete', name, argv: [tools.groupdel, '--root', root, name], configPath: cp });
        groupNames.delete(name);
      }
      return;
    }
    const args = ['--root', root];
    if (g.gid !== undefined) args.push('--gid', String(g.gid));
    if (g.passwordHash) args.push('--password', g.passwordHash);
    if (exists) {
      ctx.ops.push({ kind: 'group', action: 'modify', name, argv: [tools.groupmod, ...args, name], configPath: cp });
    } else {
      if (g.system) args.push('--system');
      ctx.ops.push({ kind: 'group', action: 'add', name, argv: [tools.groupadd, ...args, name], configPath: cp });
      groupNames.add(name);
    }
  });

  users.forEach((u, i) => {
    const cp = ['passwd', 'users', i];
    const name = u.name ?? '';
    const exists = userNames.has(name);
    if (u.shouldExist === false) {
      if (exists) {
        ctx.ops.push({ kind: 'user', action: 'delete', name, argv: [tools.userdel, '--remove', '--root', root, name], configPath: cp });
        userNames.delete(name);
      }
      return;
    }
    const args = ['--root', root];
    if (exists) warnMissingHome(ctx, name, u.noCreateHome ? undefined : (u.homeDir ?? db.users.get(name)?.home));
    if (exists) {
      if (u.homeDir) args.push('--home', u.homeDir, '--move-home');
    } else {
      if (u.homeDir) args.push('--home-dir', u.homeDir);
      args.push(u.noCreateHome ? '--no-create-home' : '--create-home');
      if (u.noUserGroup) args.push('--no-user-group');
      if (u.system) args.push('--system');
      if (u.noLogInit) args.push('--no-log-init');
    }
    if (u.passwordHash !== undefined) args.push('--password', u.passwordHash || '*');
    else if (!exists) args.push('--password', '*');
    if (u.uid !== undefined) args.push('--uid', String(u.uid));
    if (u.gecos) args.push('--comment', u.gecos);
    if (u.primaryGroup) args.push('--gid', u.primaryGroup);
    if (u.groups && u.groups.length > 0) args.push('--groups', u.groups.join(','));
    if (u.shell) args.push('--shell', u.shell);
    args.push(name);
    ctx.ops.push({
      kind: 'user',
      action: exists ? 'modify' : 'add',
      name,
      argv: [exists ? tools.usermod : tools.useradd, ...args],
      configPath: cp,
    });
    userNames.add(name);
    if (!u.noCreateHome && notatedDirectories.length > 0) ctx.ops.push({ kind: 'home-dirs', user: name, notated: [...notatedDirectories], configPath: cp });
    if (u.passwordHash !== undefined)
      ctx.ops.push({
        kind: 'user-password',
        user: name,
        argv: [tools.usermod, '--root', root, '--password', u.passwordHash || '*', name],
        configPath: childPath(cp, 'passwordHash'),
      });
    if (u.sshAuthorizedKeys && u.sshAuthorizedKeys.length > 0)
      ctx.ops.push({ kind: 'ssh-keys', user: name, keys: [...u.sshAuthorizedKeys], configPath: childPath(cp, 'sshAuthorizedKeys') });
  });
}
