// Ignition's runtime error texts for filesystem entries (users grep for them), plus one line of
// advice each. Shared by the planner (preflight) and the executor (re-checks at run time).
export const msg = {
  fileExists: (p: string) => `error creating file ${JSON.stringify(p)}: A file exists there already and overwrite is false`,
  fileNotRegular: (p: string) => `error creating file ${JSON.stringify(p)}: A non regular file exists there already and overwrite is false`,
  dirNotDir: (p: string) => `error creating directory ${p}: A non-directory already exists and overwrite is false`,
  symlinkOther: (p: string, have: string, want: string) =>
    `error creating symlink ${p}: a symlink exists at that path but points to ${have}, not ${want} and overwrite is false`,
  symlinkNonLink: (p: string) => `error creating symlink ${p}: a non-symlink already exists at that path and overwrite is false`,
  hardlinkOther: (p: string) => `error creating hard link ${p}: a file already exists at that path but is not the target and overwrite is false`,
  hardlinkNoTarget: (p: string, why: string) => `error creating hard link ${p}: target does not exist or stat() returned an err: ${why}`,
  appendNotFile: (p: string) => `can only append to files: ${JSON.stringify(p)}`,
  duplicateResolved: (kind: string, p: string, resolved: string, other: string) =>
    `${kind} at ${p} resolved to ${resolved} after symlink chasing, but another entry with path ${other} also resolves there`,
  noSuchUser: (p: string, name: string) => `failed to determine correct uid and gid for ${p}: no such user ${JSON.stringify(name)}`,
  noSuchGroup: (p: string, name: string) => `failed to determine correct uid and gid for ${p}: no such group ${JSON.stringify(name)}`,
};

export const hint = {
  overwrite: 'set overwrite: true to replace the existing file',
  overwriteNode: 'set overwrite: true to replace what is there',
  appendTarget: 'append only works on regular files; remove or rename what is at that path',
  hardlinkTarget: 'create the target first (files are created before hard links) or fix the target path',
  user: 'create the user in passwd.users or use a numeric user.id',
  group: 'create the group in passwd.groups or use a numeric group.id',
};
