// Files, directories and links: paths, modes, owners, overwrite, and how entries relate to links.
import { posix } from '../../host/paths.js';
import { empty, isTrue, rule, type Hit, type Rule } from './rule.js';
import { pathHit } from './paths.js';

const nodePath = (on: 'File' | 'Directory' | 'Link') =>
  rule({
    code: 'node-path',
    severity: 'error',
    message: 'path not absolute',
    on,
    check: (n) => pathHit('path', n.path),
  });
export const filePath = nodePath('File');
export const directoryPath = nodePath('Directory');
export const linkPath = nodePath('Link');

const illegalMode = (on: 'File' | 'Directory') =>
  rule({
    code: 'mode-illegal',
    severity: 'error',
    message: 'illegal file mode',
    on,
    check: (n) => n.mode !== undefined && (n.mode < 0 || n.mode > 0o7777) && { at: ['mode'] },
  });
export const fileMode = illegalMode('File');
export const directoryMode = illegalMode('Directory');

const specialBits = (on: 'File' | 'Directory') =>
  rule({
    code: 'mode-special-bits',
    severity: 'warning',
    message: 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0',
    on,
    until: '3.6.0',
    check: (n) => n.mode !== undefined && (n.mode & 0o7000) !== 0 && { at: ['mode'] },
  });
export const fileSpecialBits = specialBits('File');
export const directorySpecialBits = specialBits('Directory');

export const overwriteWithoutSource = rule({
  code: 'overwrite-without-source',
  severity: 'error',
  message: 'overwrite must be false if source is unspecified',
  on: 'File',
  check: (f) => isTrue(f.overwrite) && f.contents?.source === undefined && { at: ['overwrite'] },
});

const idAndName = (on: 'NodeUser' | 'NodeGroup') =>
  rule({
    code: 'owner-id-and-name',
    severity: 'error',
    message: 'cannot set both id and name',
    on,
    check: (o) => o.id !== undefined && !empty(o.name),
  });
export const userIdAndName = idAndName('NodeUser');
export const groupIdAndName = idAndName('NodeGroup');

/** Entries whose path goes through a configured link. */
function underLink(list: { path?: string }[] | undefined, field: string, links: { path?: string }[], message: string): Hit[] {
  const hits: Hit[] = [];
  (list ?? []).forEach((n, i) => {
    for (const l of links) if (n.path !== undefined && n.path.startsWith(`${l.path ?? ''}/`)) hits.push({ at: [field, i], message });
  });
  return hits;
}

export const fileUnderLink = rule({
  code: 'file-under-link',
  severity: 'error',
  message: 'file path includes link in config',
  on: 'Storage',
  check: (s) => underLink(s.files, 'files', s.links ?? [], 'file path includes link in config'),
});

export const directoryUnderLink = rule({
  code: 'directory-under-link',
  severity: 'error',
  message: 'directory path includes link in config',
  on: 'Storage',
  check: (s) => underLink(s.directories, 'directories', s.links ?? [], 'directory path includes link in config'),
});

export const linkUnderLink = rule({
  code: 'link-under-link',
  severity: 'error',
  message: 'link path includes link in config',
  on: 'Storage',
  check: (s) => underLink(s.links, 'links', s.links ?? [], 'link path includes link in config'),
});

export const linkTargetRequired = rule({
  code: 'link-target-required',
  severity: 'error',
  message: 'link target is required',
  on: 'Storage',
  since: '3.3.0',
  check: (s) => (s.links ?? []).flatMap((l, i) => (empty(l.target) ? [{ at: ['links', i, 'target'] }] : [])),
});

/** Where a hard link's target resolves, relative targets being relative to the link's path. */
function hardTarget(l: { path?: string; target?: string }): string {
  const t = posix.normalize(l.target ?? '.');
  return t.startsWith('/') ? t.replace(/(.)\/$/, '$1') : posix.join(l.path ?? '', l.target ?? '');
}

export const hardLinkToDirectory = rule({
  code: 'hard-link-to-directory',
  severity: 'error',
  message: 'hard link target is a directory',
  on: 'Storage',
  check: (s) =>
    (s.links ?? []).flatMap((l, i) =>
      isTrue(l.hard) && !empty(l.target) ? (s.directories ?? []).filter((d) => d.path === hardTarget(l)).map(() => ({ at: ['links', i] })) : [],
    ),
});

export const hardLinkOwner = rule({
  code: 'hard-link-owner',
  severity: 'warning',
  message: 'user/group ignored for hard link',
  on: 'Storage',
  check: (s) =>
    (s.links ?? []).flatMap((l, i) => {
      if (!isTrue(l.hard) || empty(l.target)) return [];
      const hits: Hit[] = [];
      for (const who of ['user', 'group'] as const)
        for (const f of ['id', 'name'] as const) if (l[who]?.[f] !== undefined) hits.push({ at: ['links', i, who, f] });
      return hits;
    }),
});

export const filesystemOverPartitions = rule({
  code: 'filesystem-over-partitions',
  severity: 'warning',
  message: 'filesystem overwrites partitioned device',
  on: 'Storage',
  check: (s) => {
    const disks = new Map((s.disks ?? []).map((d) => [d.device, d]));
    const hits: Hit[] = [];
    (s.filesystems ?? []).forEach((f, i) => {
      const d = disks.get(f.device);
      if (!d) return;
      if (d.partitions?.length) hits.push({ at: ['filesystems', i, 'device'] });
      else if (!isTrue(f.wipeFilesystem) && isTrue(d.wipeTable))
        hits.push({ at: ['filesystems', i, 'device'], message: 'device matches disk with wipeTable enabled; filesystem will be wiped' });
    });
    return hits;
  },
});

export const pathConflictsWithUnit = rule({
  code: 'path-conflicts-systemd',
  severity: 'error',
  message: 'path conflicts with systemd unit or dropin',
  on: 'Config',
  check: (c) => {
    const unitPaths = new Set<string>();
    for (const u of c.systemd?.units ?? []) {
      if (!empty(u.contents)) unitPaths.add(`/etc/systemd/system/${u.name ?? ''}`);
      for (const d of u.dropins ?? []) if (!empty(d.contents)) unitPaths.add(`/etc/systemd/system/${u.name ?? ''}.d/${d.name ?? ''}`);
    }
    if (!unitPaths.size) return undefined;
    const hits: Hit[] = [];
    for (const field of ['files', 'directories', 'links'] as const)
      (c.storage?.[field] ?? []).forEach((n, i) => {
        if (n.path !== undefined && unitPaths.has(n.path)) hits.push({ at: ['storage', field, i, 'path'] });
      });
    return hits;
  },
});

/** This module's rules, by name, for the registry (index.ts). */
export const NODE_RULES: readonly Rule[] = [
  directoryMode,
  directoryPath,
  directorySpecialBits,
  directoryUnderLink,
  fileMode,
  filePath,
  fileSpecialBits,
  fileUnderLink,
  filesystemOverPartitions,
  groupIdAndName,
  hardLinkOwner,
  hardLinkToDirectory,
  linkPath,
  linkTargetRequired,
  linkUnderLink,
  overwriteWithoutSource,
  pathConflictsWithUnit,
  userIdAndName,
];
