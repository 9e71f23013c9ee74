// One human line per operation, for --dry-run and failure reports. Secrets never appear: password
// hashes, SSH keys and data: URL payloads are replaced, URLs go through redactUrl.
import { formatPath } from '../../../diag/diagnostic.js';
import { redactArgv } from '../../../host/host.js';
import { redactUrl } from '../../../fetch/redact.js';
import type { NodeGroup, NodeUser } from '../../../generated/types.js';
import type { Contents, Op, Plan } from './ops.js';
import type { StagePlan } from '../../stage.js';
import { utf8Length } from '../../../host/utf8.js';

/** argv with the value after --password masked. */

export function describeContents(c: Contents): string {
  if ('inline' in c) return `${utf8Length(c.inline)} bytes inline`;
  const r = c.resource;
  const extra = [r.compression ? r.compression : '', r.verification?.hash ? r.verification.hash.split('-')[0] + ' verified' : ''].filter(Boolean).join(', ');
  return redactUrl(r.source ?? '') + (extra ? ` (${extra})` : '');
}

function owner(u?: NodeUser, g?: NodeGroup): string {
  const part = (x?: { id?: number; name?: string }) => (x?.id !== undefined ? String(x.id) : x?.name ? x.name : '-');
  return u || g ? ` owner ${part(u)}:${part(g)}` : '';
}

/**
 * The path an operation touches. Paths are inside the target root; one reached through symlinks
 * says so, with the links followed and the path the config asked for (a link to `/srv/x` is
 * followed to `/srv/x` inside the root, never on the host).
 */
function where(op: Op & { path: string }): string {
  if (!op.via) return op.path;
  const links = op.via.links.map((l) => `symlink ${l.path} -> ${l.target}`).join(', ');
  return `${op.path} in the root (via ${links} from ${op.via.requested})`;
}

export function describeOp(op: Op): string {
  switch (op.kind) {
    case 'group':
    case 'user':
    case 'user-password':
      return redactArgv(op.argv).join(' ');
    case 'home-dirs':
      return `chown ${op.user} and chmod 0700 the mount-created dirs under its home`;
    case 'ssh-keys':
      return `write ${op.keys.length} SSH key(s) to ~${op.user}/.ssh/authorized_keys.d/ignition (0600)`;
    case 'remove':
      return `remove ${where(op)}`;
    case 'mkdir':
      return `mkdir -p ${where(op)} (0755)`;
    case 'write':
      return `write ${where(op)} from ${describeContents(op.contents)}`;
    case 'append':
      return `append to ${where(op)} from ${describeContents(op.contents)}`;
    case 'perms':
      return `set${owner(op.user, op.group)}${op.mode !== undefined ? ` mode ${op.mode.toString(8).padStart(4, '0')}` : ''} on ${where(op)}`;
    case 'symlink':
      return `symlink ${where(op)} -> ${op.target}`;
    case 'hardlink':
      return `hard link ${where(op)} => ${op.target}`;
    case 'unmask':
      return `unmask: remove ${op.path} (symlink to /dev/null)`;
    case 'preset':
      return `preset ${op.path}: ${op.line}`;
    case 'disable-unit':
      return `if enabled: systemctl disable ${op.unit}, preset ${op.path}: disable ${op.unit}`;
    case 'result-file':
      return `write ${op.path} (0600)`;
    case 'relabel':
      return `relabel ${op.paths.length + op.globs.length + op.homesOf.length} path(s) with setfiles (policy ${op.policy})`;
  }
}

export function describeWhere(op: Op): string {
  return op.configPath ? formatPath(op.configPath) : '';
}

/** A files-stage plan as the steps a dry run shows. */
export function planSteps(plan: Plan): StagePlan {
  return { steps: plan.ops.map((op) => ({ text: describeOp(op), configPath: op.configPath })), errors: plan.errors };
}
