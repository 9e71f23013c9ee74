// The operations a files-stage plan consists of. Plain data: the planner produces them, the
// executor runs them, `--dry-run` prints them. Paths are resolved virtual paths inside the root.
import type { ConfigPath } from '../../../diag/diagnostic.js';
import type { NodeGroup, NodeUser, Resource } from '../../../generated/types.js';
import type { Link } from '../resolve.js';

/** What a file write gets its bytes from: a config Resource (fetched) or inline text (units). */
export type Contents = { resource: Resource } | { inline: string };

interface Base {
  /** Where in the config the operation comes from, e.g. ['storage','files',3]. */
  configPath?: ConfigPath;
  /** When the config's path led through symlinks: the path as written and the links followed. */
  via?: Via;
}

export interface Via {
  requested: string;
  links: Link[];
}

export type Op = Base &
  (
    | { kind: 'group'; action: 'add' | 'modify' | 'delete'; name: string; argv: string[] }
    | { kind: 'user'; action: 'add' | 'modify' | 'delete'; name: string; argv: string[] }
    /** chown (to the user) and chmod 0700 the dirs a mount stage created under the user's home. */
    | { kind: 'home-dirs'; user: string; notated: string[] }
    | { kind: 'user-password'; user: string; argv: string[] }
    | { kind: 'ssh-keys'; user: string; keys: string[] }
    /** RemoveAll, for `overwrite: true` and masking. */
    | { kind: 'remove'; path: string }
    /** MkdirAll 0755 (root:root) of the missing components. */
    | { kind: 'mkdir'; path: string }
    /** Temp file in the same directory, fetch/verify into it, fsync, rename over `path`. */
    | { kind: 'write'; path: string; contents: Contents; exclusive?: boolean }
    /** Fetch into a temp file, then append to `path` (created 0644 when missing). */
    | { kind: 'append'; path: string; contents: Contents }
    /** lchown (id, name looked up in the root, or the current owner) then chmod. */
    | { kind: 'perms'; path: string; user?: NodeUser; group?: NodeGroup; mode?: number }
    | { kind: 'symlink'; path: string; target: string }
    | { kind: 'hardlink'; path: string; target: string }
    /** Remove `path` if it is a symlink to exactly /dev/null. */
    | { kind: 'unmask'; path: string }
    /** Append a line to the preset file. */
    | { kind: 'preset'; path: string; line: string }
    /** If `systemctl --root R is-enabled unit` succeeds: `disable` it, then a `disable` preset line. */
    | { kind: 'disable-unit'; path: string; unit: string }
    | { kind: 'result-file'; path: string; userConfigProvided: boolean }
    | { kind: 'relabel'; policy: string; paths: string[]; globs: string[]; homesOf: string[] }
  );

export type OpKind = Op['kind'];

/** A problem found while planning; the executor refuses a plan that has any. */
export interface PlanError {
  message: string;
  configPath?: ConfigPath;
  hint?: string;
}

export interface Plan {
  ops: Op[];
  errors: PlanError[];
  warnings: string[];
}
