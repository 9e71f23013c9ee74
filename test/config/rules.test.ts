// One passing and one failing config per rule, asserting Ignition's message and the JSON path.
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check.js';
import * as diskRules from '../../src/config/rules/disks.js';
import * as filesystemRules from '../../src/config/rules/filesystems.js';
import { RULES } from '../../src/config/rules/index.js';
import * as nodeRules from '../../src/config/rules/nodes.js';
import * as resourceRules from '../../src/config/rules/resources.js';
import * as systemdRules from '../../src/config/rules/systemd.js';
import { rule } from '../../src/config/rules/rule.js';
import { objectNames } from '../../src/model/spec.js';
import type { Version } from '../../src/model/versions.js';

interface Case {
  code: string;
  version?: Version;
  bad: object;
  good: object;
  message: string;
  path: (string | number)[];
  severity?: 'error' | 'warning';
}

const file = (f: object) => ({ storage: { files: [{ path: '/etc/a', ...f }] } });
const dir = (d: object) => ({ storage: { directories: [{ path: '/etc/d', ...d }] } });
const luks = (l: object) => ({ storage: { luks: [{ name: 'root', device: '/dev/sda1', ...l }] } });
const fs = (f: object) => ({ storage: { filesystems: [{ device: '/dev/sda1', ...f }] } });
const part = (p: object) => ({ storage: { disks: [{ device: '/dev/sda', partitions: [p] }] } });
const unit = (u: object) => ({ systemd: { units: [{ name: 'a.service', ...u }] } });

const cases: Case[] = [
  {
    code: 'compression-invalid',
    bad: file({ contents: { source: 'data:,x', compression: 'xz' } }),
    good: file({ contents: { source: 'data:,x', compression: 'gzip' } }),
    message: 'invalid compression method',
    path: ['storage', 'files', 0, 'contents', 'compression'],
  },
  {
    code: 'verification-without-source',
    bad: file({ contents: { verification: { hash: 'sha512-' + 'a'.repeat(128) } } }),
    good: file({ contents: { source: 'data:,x', verification: { hash: 'sha512-' + 'a'.repeat(128) } } }),
    message: 'source must be specified if verification is specified',
    path: ['storage', 'files', 0, 'contents', 'verification', 'hash'],
  },
  {
    code: 'source-url',
    bad: file({ contents: { source: 'file:///etc/x' } }),
    good: file({ contents: { source: 'https://example.com/x' } }),
    message: 'invalid url scheme',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'source-url',
    version: '3.1.0',
    bad: file({ contents: { source: 'gs://bucket/x' } }),
    good: file({ contents: { source: 's3://bucket/x' } }),
    message: 'invalid url scheme',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'source-url',
    bad: file({ contents: { source: 's3://b/k?versionId=' } }),
    good: file({ contents: { source: 's3://b/k?versionId=abc' } }),
    message: 'invalid S3 object VersionId',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'source-url',
    bad: file({ contents: { source: 'arn:aws:iam::123:role/x' } }),
    good: file({ contents: { source: 'arn:aws:s3:::bucket/key' } }),
    message: 'invalid S3 ARN format',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'source-url',
    bad: file({ contents: { source: 'http://a b/%zz' } }),
    good: file({ contents: { source: 'http://a.b/%20' } }),
    message: 'unable to parse url',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'headers-scheme',
    bad: file({ contents: { source: 'tftp://h/x', httpHeaders: [{ name: 'A', value: 'b' }] } }),
    good: file({ contents: { source: 'https://h/x', httpHeaders: [{ name: 'A', value: 'b' }] } }),
    message: 'cannot use HTTP headers with this source scheme',
    path: ['storage', 'files', 0, 'contents', 'httpHeaders'],
  },
  {
    code: 'header-name-empty',
    bad: file({ contents: { source: 'https://h/x', httpHeaders: [{ name: '', value: 'b' }] } }),
    good: file({ contents: { source: 'https://h/x', httpHeaders: [{ name: 'A' }] } }),
    message: "HTTP header name can't be empty",
    path: ['storage', 'files', 0, 'contents', 'httpHeaders', 0, 'name'],
  },
  {
    code: 'header-value-empty',
    bad: file({ contents: { source: 'https://h/x', httpHeaders: [{ name: 'A', value: '' }] } }),
    good: file({ contents: { source: 'https://h/x', httpHeaders: [{ name: 'A', value: 'v' }] } }),
    message: 'unable to parse HTTP header',
    path: ['storage', 'files', 0, 'contents', 'httpHeaders', 0, 'value'],
  },
  {
    code: 'hash-specifier',
    bad: file({ contents: { source: 'data:,x', verification: { hash: 'sha512' } } }),
    good: file({ contents: { source: 'data:,x', verification: { hash: 'sha256-' + 'b'.repeat(64) } } }),
    message: 'malformed hash specifier',
    path: ['storage', 'files', 0, 'contents', 'verification', 'hash'],
  },
  {
    code: 'hash-specifier',
    bad: file({ contents: { source: 'data:,x', verification: { hash: 'sha1-' + 'b'.repeat(40) } } }),
    good: file({ contents: { source: 'data:,x', verification: { hash: 'sha512-' + 'b'.repeat(128) } } }),
    message: 'unrecognized hash function',
    path: ['storage', 'files', 0, 'contents', 'verification', 'hash'],
  },
  {
    code: 'hash-specifier',
    version: '3.0.0',
    bad: file({ contents: { source: 'data:,x', verification: { hash: 'sha256-' + 'b'.repeat(64) } } }),
    good: file({ contents: { source: 'data:,x', verification: { hash: 'sha512-' + 'b'.repeat(128) } } }),
    message: 'unrecognized hash function',
    path: ['storage', 'files', 0, 'contents', 'verification', 'hash'],
  },
  {
    code: 'hash-specifier',
    bad: file({ contents: { source: 'data:,x', verification: { hash: 'sha256-abc' } } }),
    good: file({ contents: { source: 'data:,x', verification: { hash: 'sha256-' + 'c'.repeat(64) } } }),
    message: 'incorrect size for hash sum',
    path: ['storage', 'files', 0, 'contents', 'verification', 'hash'],
  },
  {
    code: 'verification-without-source',
    version: '3.0.0',
    bad: file({ append: [{ verification: { hash: 'sha512-' + 'a'.repeat(128) } }] }),
    good: { ignition: { config: { merge: [{ verification: { hash: 'sha512-' + 'a'.repeat(128) } }] } } },
    message: 'source must be specified if verification is specified',
    path: ['storage', 'files', 0, 'append', 0, 'verification', 'hash'],
  },
  {
    code: 'source-url',
    version: '3.0.0',
    bad: file({ contents: { source: 's3://b/k?versionId' } }),
    good: file({ contents: { source: 's3://b/k?versionId=1' } }),
    message: 'invalid S3 object VersionId',
    path: ['storage', 'files', 0, 'contents', 'source'],
  },
  {
    code: 'ca-source-required',
    version: '3.0.0',
    bad: { ignition: { security: { tls: { certificateAuthorities: [{}] } } } },
    good: { ignition: { security: { tls: { certificateAuthorities: [{ source: 'https://h/ca.pem' }] } } } },
    message: 'invalid url scheme',
    path: ['ignition', 'security', 'tls', 'certificateAuthorities', 0, 'source'],
  },
  {
    code: 'source-required',
    bad: { ignition: { config: { merge: [{}] } } },
    good: { ignition: { config: { merge: [{ source: 'https://h/c.ign' }] } } },
    message: 'source is required',
    path: ['ignition', 'config', 'merge', 0],
  },
  {
    code: 'ca-source-required',
    bad: { ignition: { security: { tls: { certificateAuthorities: [{ source: '' }] } } } },
    good: { ignition: { security: { tls: { certificateAuthorities: [{ source: 'https://h/ca.pem' }] } } } },
    message: 'source is required',
    path: ['ignition', 'security', 'tls', 'certificateAuthorities', 0],
  },
  {
    code: 'proxy-scheme',
    bad: { ignition: { proxy: { httpProxy: 'socks5://p:1080' } } },
    good: { ignition: { proxy: { httpProxy: 'http://p:3128' } } },
    message: 'proxies must be http(s)',
    path: ['ignition', 'proxy', 'httpProxy'],
  },
  {
    code: 'proxy-insecure',
    severity: 'warning',
    bad: { ignition: { proxy: { httpsProxy: 'http://p:3128' } } },
    good: { ignition: { proxy: { httpsProxy: 'https://p:3128' } } },
    message: 'insecure plaintext HTTP proxy specified for HTTPS resources',
    path: ['ignition', 'proxy', 'httpsProxy'],
  },
  { code: 'node-path', bad: file({ path: 'etc/a' }), good: file({ path: '/etc/a' }), message: 'path not absolute', path: ['storage', 'files', 0, 'path'] },
  {
    code: 'node-path',
    bad: dir({ path: '/etc/../d' }),
    good: dir({ path: '/d' }),
    message: 'path is not fully simplified',
    path: ['storage', 'directories', 0, 'path'],
  },
  {
    code: 'node-path',
    bad: { storage: { links: [{ path: '', target: '/x' }] } },
    good: { storage: { links: [{ path: '/l', target: '/x' }] } },
    message: 'path not specified',
    path: ['storage', 'links', 0, 'path'],
  },
  { code: 'mode-illegal', bad: file({ mode: 0o10000 }), good: file({ mode: 0o7777 }), message: 'illegal file mode', path: ['storage', 'files', 0, 'mode'] },
  {
    code: 'mode-special-bits',
    severity: 'warning',
    version: '3.5.0',
    bad: dir({ mode: 0o2755 }),
    good: dir({ mode: 0o755 }),
    message: 'setuid/setgid/sticky bits are not supported or functional in spec versions older than 3.6.0',
    path: ['storage', 'directories', 0, 'mode'],
  },
  {
    code: 'overwrite-without-source',
    bad: file({ overwrite: true }),
    good: file({ overwrite: true, contents: { source: '' } }),
    message: 'overwrite must be false if source is unspecified',
    path: ['storage', 'files', 0, 'overwrite'],
  },
  {
    code: 'owner-id-and-name',
    bad: file({ user: { id: 1, name: 'core' } }),
    good: file({ user: { id: 1, name: '' } }),
    message: 'cannot set both id and name',
    path: ['storage', 'files', 0, 'user'],
  },
  {
    code: 'owner-id-and-name',
    bad: dir({ group: { id: 1, name: 'wheel' } }),
    good: dir({ group: { name: 'wheel' } }),
    message: 'cannot set both id and name',
    path: ['storage', 'directories', 0, 'group'],
  },
  {
    code: 'file-under-link',
    bad: { storage: { links: [{ path: '/l', target: '/t' }], files: [{ path: '/l/f' }] } },
    good: { storage: { links: [{ path: '/l', target: '/t' }], files: [{ path: '/lf' }] } },
    message: 'file path includes link in config',
    path: ['storage', 'files', 0],
  },
  {
    code: 'directory-under-link',
    bad: { storage: { links: [{ path: '/l', target: '/t' }], directories: [{ path: '/l/d' }] } },
    good: { storage: { links: [{ path: '/l', target: '/t' }], directories: [{ path: '/d' }] } },
    message: 'directory path includes link in config',
    path: ['storage', 'directories', 0],
  },
  {
    code: 'link-under-link',
    bad: {
      storage: {
        links: [
          { path: '/l', target: '/t' },
          { path: '/l/m', target: '/t' },
        ],
      },
    },
    good: {
      storage: {
        links: [
          { path: '/l', target: '/t' },
          { path: '/m', target: '/t' },
        ],
      },
    },
    message: 'link path includes link in config',
    path: ['storage', 'links', 1],
  },
  {
    code: 'link-target-required',
    bad: { storage: { links: [{ path: '/l' }] } },
    good: { storage: { links: [{ path: '/l', target: 'x' }] } },
    message: 'link target is required',
    path: ['storage', 'links', 0, 'target'],
  },
  {
    code: 'hard-link-to-directory',
    bad: { storage: { directories: [{ path: '/d' }], links: [{ path: '/l', target: '/d', hard: true }] } },
    good: { storage: { directories: [{ path: '/d' }], links: [{ path: '/l', target: '/d' }] } },
    message: 'hard link target is a directory',
    path: ['storage', 'links', 0],
  },
  {
    code: 'hard-link-owner',
    severity: 'warning',
    bad: { storage: { links: [{ path: '/l', target: '/f', hard: true, group: { name: '' } }] } },
    good: { storage: { links: [{ path: '/l', target: '/f', hard: true }] } },
    message: 'user/group ignored for hard link',
    path: ['storage', 'links', 0, 'group', 'name'],
  },
  {
    code: 'filesystem-over-partitions',
    severity: 'warning',
    bad: { storage: { disks: [{ device: '/dev/sdb', partitions: [{ number: 1 }] }], filesystems: [{ device: '/dev/sdb', format: 'xfs' }] } },
    good: { storage: { disks: [{ device: '/dev/sdb', partitions: [{ number: 1 }] }], filesystems: [{ device: '/dev/sdb1', format: 'xfs' }] } },
    message: 'filesystem overwrites partitioned device',
    path: ['storage', 'filesystems', 0, 'device'],
  },
  {
    code: 'filesystem-over-partitions',
    severity: 'warning',
    bad: { storage: { disks: [{ device: '/dev/sdb', wipeTable: true }], filesystems: [{ device: '/dev/sdb', format: 'xfs' }] } },
    good: { storage: { disks: [{ device: '/dev/sdb', wipeTable: true }], filesystems: [{ device: '/dev/sdb', format: 'xfs', wipeFilesystem: true }] } },
    message: 'device matches disk with wipeTable enabled; filesystem will be wiped',
    path: ['storage', 'filesystems', 0, 'device'],
  },
  {
    code: 'path-conflicts-systemd',
    bad: { storage: { files: [{ path: '/etc/systemd/system/a.service' }] }, systemd: { units: [{ name: 'a.service', contents: '[Unit]\n' }] } },
    good: { storage: { files: [{ path: '/etc/systemd/system/a.service' }] }, systemd: { units: [{ name: 'a.service', enabled: true }] } },
    message: 'path conflicts with systemd unit or dropin',
    path: ['storage', 'files', 0, 'path'],
  },
  {
    code: 'disk-device',
    bad: { storage: { disks: [{ device: '' }] } },
    good: { storage: { disks: [{ device: '/dev/sda' }] } },
    message: 'disk device is required',
    path: ['storage', 'disks', 0, 'device'],
  },
  {
    code: 'partition-numbers-collide',
    bad: { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1 }, { number: 1, label: 'x' }] }] } },
    good: { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1 }, { number: 2 }] }] } },
    message: 'partition numbers collide',
    path: ['storage', 'disks', 0, 'partitions', 1],
  },
  {
    code: 'partitions-overlap',
    bad: {
      storage: {
        disks: [
          {
            device: '/dev/sda',
            partitions: [
              { number: 1, startMiB: 1, sizeMiB: 10 },
              { number: 2, startMiB: 5, sizeMiB: 10 },
            ],
          },
        ],
      },
    },
    good: {
      storage: {
        disks: [
          {
            device: '/dev/sda',
            partitions: [
              { number: 1, startMiB: 1, sizeMiB: 10 },
              { number: 2, startMiB: 11, sizeMiB: 10 },
            ],
          },
        ],
      },
    },
    message: 'partitions overlap',
    path: ['storage', 'disks', 0, 'partitions', 1],
  },
  {
    code: 'partition-labels-collide',
    bad: { storage: { disks: [{ device: '/dev/sda', partitions: [{ label: 'a' }, { number: 2, label: 'a' }] }] } },
    good: { storage: { disks: [{ device: '/dev/sda', partitions: [{ label: 'a' }, { label: 'b' }] }] } },
    message: 'cannot use the same partition label twice',
    path: ['storage', 'disks', 0, 'partitions', 1],
  },
  {
    code: 'partition-should-not-exist-with-others',
    bad: part({ number: 1, shouldExist: false, sizeMiB: 1 }),
    good: part({ number: 1, shouldExist: false, wipePartitionEntry: true }),
    message: 'shouldExist specified false with other options also specified',
    path: ['storage', 'disks', 0, 'partitions', 0],
  },
  {
    code: 'partition-number-or-label',
    bad: part({ sizeMiB: 5 }),
    good: part({ label: 'data' }),
    message: 'a partition number >= 1 or a label must be specified',
    path: ['storage', 'disks', 0, 'partitions', 0],
  },
  {
    code: 'partition-label',
    bad: part({ number: 1, label: 'x'.repeat(37) }),
    good: part({ number: 1, label: 'x'.repeat(36) }),
    message: 'partition labels may not exceed 36 characters',
    path: ['storage', 'disks', 0, 'partitions', 0, 'label'],
  },
  {
    code: 'partition-label',
    bad: part({ number: 1, label: 'a:b' }),
    good: part({ number: 1, label: 'a-b' }),
    message: 'partition label will be truncated to text before the colon',
    path: ['storage', 'disks', 0, 'partitions', 0, 'label'],
  },
  {
    code: 'partition-guid',
    bad: part({ number: 1, typeGuid: '0FC63DAF' }),
    good: part({ number: 1, typeGuid: '0fc63daf-8483-4772-8e79-3d69d8477de4' }),
    message: 'doesn\'t match the form "01234567-89AB-CDEF-EDCB-A98765432101"',
    path: ['storage', 'disks', 0, 'partitions', 0, 'typeGuid'],
  },
  {
    code: 'raid-level',
    bad: { storage: { raid: [{ name: 'md', level: 'raid7', devices: ['/dev/a'] }] } },
    good: { storage: { raid: [{ name: 'md', level: 'mirror', devices: ['/dev/a'] }] } },
    message: 'unrecognized raid level',
    path: ['storage', 'raid', 0, 'level'],
  },
  {
    code: 'raid-level',
    bad: { storage: { raid: [{ name: 'md', devices: ['/dev/a'] }] } },
    good: { storage: { raid: [{ name: 'md', level: '10', devices: ['/dev/a'] }] } },
    message: 'raid level is required',
    path: ['storage', 'raid', 0, 'level'],
  },
  {
    code: 'raid-level',
    version: '3.2.0',
    bad: { storage: { raid: [{ name: 'md', devices: ['/dev/a'] }] } },
    good: { storage: { raid: [{ name: 'md', level: 'raid1', devices: ['/dev/a'] }] } },
    message: 'unrecognized raid level',
    path: ['storage', 'raid', 0, 'level'],
  },
  {
    code: 'partition-zeroes-with-should-not-exist',
    bad: { storage: { disks: [{ device: '/dev/sda', partitions: [{ number: 1, shouldExist: false }, { label: 'x' }] }] } },
    good: {
      storage: {
        disks: [
          {
            device: '/dev/sda',
            partitions: [
              { number: 1, shouldExist: false },
              { number: 2, label: 'x' },
            ],
          },
        ],
      },
    },
    message: 'shouldExist is false for a partition and other partition(s) has start or size 0',
    path: ['storage', 'disks', 0, 'partitions'],
  },
  {
    code: 'raid-level',
    bad: { storage: { raid: [{ name: 'md', level: 'stripe', spares: 1, devices: ['/dev/a'] }] } },
    good: { storage: { raid: [{ name: 'md', level: 'raid5', spares: 1, devices: ['/dev/a'] }] } },
    message: 'spares unsupported for linear and raid0 arrays',
    path: ['storage', 'raid', 0, 'level'],
  },
  {
    code: 'raid-devices-required',
    bad: { storage: { raid: [{ name: 'md', level: 'raid1' }] } },
    good: { storage: { raid: [{ name: 'md', level: 'raid1', devices: ['/dev/a'] }] } },
    message: 'raid devices required',
    path: ['storage', 'raid', 0, 'devices'],
  },
  {
    code: 'raid-device-path',
    bad: { storage: { raid: [{ name: 'md', level: 'raid1', devices: ['sda'] }] } },
    good: { storage: { raid: [{ name: 'md', level: 'raid1', devices: ['/dev/sda'] }] } },
    message: 'path not absolute',
    path: ['storage', 'raid', 0, 'devices', 0],
  },
  {
    code: 'filesystem-path',
    bad: fs({ format: 'xfs', path: 'var' }),
    good: fs({ format: 'xfs', path: '/var' }),
    message: 'path not absolute',
    path: ['storage', 'filesystems', 0, 'path'],
  },
  {
    code: 'filesystem-device',
    bad: fs({ device: '/dev//sda1', format: 'xfs' }),
    good: fs({ format: 'xfs' }),
    message: 'path is not fully simplified',
    path: ['storage', 'filesystems', 0, 'device'],
  },
  {
    code: 'filesystem-device',
    version: '3.7.0-experimental',
    bad: fs({ device: 't'.repeat(37), format: 'virtiofs' }),
    good: fs({ device: 'share', format: 'virtiofs' }),
    message: 'virtiofs device tag cannot be longer than 36 bytes',
    path: ['storage', 'filesystems', 0, 'device'],
  },
  {
    code: 'filesystem-format',
    bad: fs({ format: 'zfs' }),
    good: fs({ format: 'btrfs' }),
    message: 'invalid filesystem format',
    path: ['storage', 'filesystems', 0, 'format'],
  },
  {
    code: 'filesystem-format',
    version: '3.2.0',
    bad: fs({ format: 'none' }),
    good: fs({ format: 'swap' }),
    message: 'invalid filesystem format',
    path: ['storage', 'filesystems', 0, 'format'],
  },
  {
    code: 'filesystem-format',
    bad: fs({ path: '/var' }),
    good: fs({}),
    message: 'format cannot be empty when path, label, uuid, wipeFilesystem, options, or mountOptions is specified',
    path: ['storage', 'filesystems', 0, 'format'],
  },
  {
    code: 'filesystem-label',
    bad: fs({ format: 'xfs', label: 'x'.repeat(13) }),
    good: fs({ format: 'xfs', label: 'x'.repeat(12) }),
    message: 'filesystem labels cannot be longer than 12 characters when using xfs',
    path: ['storage', 'filesystems', 0, 'label'],
  },
  {
    code: 'filesystem-label',
    bad: fs({ format: 'vfat', label: 'x'.repeat(12) }),
    good: fs({ format: 'ext4', label: 'x'.repeat(16) }),
    message: 'filesystem labels cannot be longer than 11 characters when using vfat',
    path: ['storage', 'filesystems', 0, 'label'],
  },
  {
    code: 'filesystem-label',
    version: '3.7.0-experimental',
    bad: fs({ device: 'share', format: 'virtiofs', label: 'x' }),
    good: fs({ device: 'share', format: 'virtiofs' }),
    message: 'filesystem labels cannot be set when using virtiofs',
    path: ['storage', 'filesystems', 0, 'label'],
  },
  {
    code: 'filesystem-block-only',
    version: '3.7.0-experimental',
    bad: fs({ device: 'share', format: 'virtiofs', uuid: 'abc' }),
    good: fs({ device: 'share', format: 'virtiofs', path: '/mnt' }),
    message: 'filesystem uuid cannot be set for non-block-device filesystems',
    path: ['storage', 'filesystems', 0, 'uuid'],
  },
  {
    code: 'luks-name-slash',
    bad: luks({ name: 'a/b' }),
    good: luks({ name: 'a-b' }),
    message: 'device names cannot contain slashes',
    path: ['storage', 'luks', 0, 'name'],
  },
  {
    code: 'luks-label',
    bad: luks({ label: 'x'.repeat(48) }),
    good: luks({ label: 'x'.repeat(47) }),
    message: 'luks device labels cannot be longer than 47 characters',
    path: ['storage', 'luks', 0, 'label'],
  },
  {
    code: 'luks-device',
    bad: luks({ device: '' }),
    good: luks({ device: '/dev/sdb' }),
    message: 'disk device is required',
    path: ['storage', 'luks', 0, 'device'],
  },
  {
    code: 'clevis-custom-with-others',
    bad: luks({ clevis: { tpm2: true, custom: { pin: 'tpm2', config: '{}' } } }),
    good: luks({ clevis: { custom: { pin: 'tpm2', config: '{}' } } }),
    message: 'cannot use custom clevis config with tpm2, tang, or threshold',
    path: ['storage', 'luks', 0, 'clevis'],
  },
  {
    code: 'luks-key-file',
    bad: luks({ keyFile: { source: 'ftp://h/key' } }),
    good: luks({ keyFile: { source: 'data:,secret' } }),
    message: 'invalid key-file source',
    path: ['storage', 'luks', 0, 'keys'],
  },
  {
    code: 'cex-with-clevis',
    bad: luks({ cex: { enabled: true }, clevis: { tpm2: true } }),
    good: luks({ cex: { enabled: false }, clevis: { tpm2: true } }),
    message: 'cannot use cex with clevis',
    path: ['storage', 'luks', 0, 'cex'],
  },
  {
    code: 'cex-with-key-file',
    bad: luks({ cex: { enabled: true }, keyFile: { source: 'data:,k' } }),
    good: luks({ cex: { enabled: true } }),
    message: 'cannot use key file with cex',
    path: ['storage', 'luks', 0, 'cex'],
  },
  {
    code: 'clevis-custom-fields',
    bad: luks({ clevis: { custom: { config: '{}' } } }),
    good: luks({ clevis: { custom: {} } }),
    message: 'missing required custom clevis pin',
    path: ['storage', 'luks', 0, 'clevis', 'custom', 'pin'],
  },
  {
    code: 'clevis-custom-fields',
    version: '3.2.0',
    bad: luks({ clevis: { custom: { config: '{}' } } }),
    good: luks({ clevis: { custom: { needsNetwork: true } } }),
    message: 'unsupported clevis pin',
    path: ['storage', 'luks', 0, 'clevis', 'custom', 'pin'],
  },
  {
    code: 'clevis-custom-fields',
    version: '3.5.0',
    bad: luks({ clevis: { custom: { pin: 'yubikey', config: '{}' } } }),
    good: luks({ clevis: { custom: { pin: 'sss', config: '{}' } } }),
    message: 'unsupported clevis pin',
    path: ['storage', 'luks', 0, 'clevis', 'custom', 'pin'],
  },
  {
    code: 'tang-url',
    bad: luks({ clevis: { tang: [{ url: 'ftp://t', thumbprint: 'x' }] } }),
    good: luks({ clevis: { tang: [{ url: 'http://t', thumbprint: 'x' }] } }),
    message: 'invalid url scheme',
    path: ['storage', 'luks', 0, 'clevis', 'tang', 0, 'url'],
  },
  {
    code: 'tang-thumbprint',
    bad: luks({ clevis: { tang: [{ url: 'http://t' }] } }),
    good: luks({ clevis: { tang: [{ url: 'http://t', thumbprint: 'x' }] } }),
    message: 'thumbprint is required',
    path: ['storage', 'luks', 0, 'clevis', 'tang', 0, 'thumbprint'],
  },
  {
    code: 'tang-advertisement',
    bad: luks({ clevis: { tang: [{ url: 'http://t', thumbprint: 'x', advertisement: '{bad' }] } }),
    good: luks({ clevis: { tang: [{ url: 'http://t', thumbprint: 'x', advertisement: '{"payload":"x"}' }] } }),
    message: 'advertisement is not valid JSON',
    path: ['storage', 'luks', 0, 'clevis', 'tang', 0, 'advertisement'],
  },
  {
    code: 'unit-extension',
    bad: unit({ name: 'a.txt' }),
    good: unit({ name: 'a.timer' }),
    message: 'invalid systemd unit extension',
    path: ['systemd', 'units', 0, 'name'],
  },
  {
    // Ignition reads the extension with Go's path.Ext: a name that is all extension has one.
    code: 'unit-extension',
    bad: unit({ name: 'a.service/x' }),
    good: unit({ name: '.service' }),
    message: 'invalid systemd unit extension',
    path: ['systemd', 'units', 0, 'name'],
  },
  {
    code: 'unit-contents',
    bad: unit({ contents: '[Unit] x\n' }),
    good: unit({ contents: '# c\n[Unit]\nA=b \\\n c\n' }),
    message: 'invalid unit content: found garbage after section name : "x"',
    path: ['systemd', 'units', 0, 'contents'],
  },
  {
    code: 'unit-contents',
    bad: unit({ contents: '[Unit]\nNoEquals\nB=c\n' }),
    good: unit({ contents: '[Unit]\nA=\n' }),
    message: 'invalid unit content: unexpected newline encountered while parsing option name',
    path: ['systemd', 'units', 0, 'contents'],
  },
  {
    code: 'unit-contents',
    bad: unit({ contents: '[Unit' }),
    good: unit({ contents: '' }),
    message: 'invalid unit content: unable to find end of section',
    path: ['systemd', 'units', 0, 'contents'],
  },
  {
    code: 'unit-contents',
    bad: unit({ contents: '[Unit]\nA=' + 'x'.repeat(3000) }),
    good: unit({ contents: '[Unit]\nA=' + 'x'.repeat(2000) + '\n' }),
    message: 'invalid unit content: line too long (max 2048 bytes)',
    path: ['systemd', 'units', 0, 'contents'],
  },
  {
    code: 'unit-no-install',
    severity: 'warning',
    bad: unit({ enabled: true, contents: '[Service]\nExecStart=/bin/true\n[Install]\n' }),
    good: unit({ enabled: true, contents: '[Install]\nWantedBy=multi-user.target\n' }),
    message: 'unit "a.service" is enabled, but has no install section so enable does nothing',
    path: ['systemd', 'units', 0, 'contents'],
  },
  {
    code: 'dropin-contents',
    bad: unit({ dropins: [{ name: 'a.conf', contents: '[Service' }] }),
    good: unit({ dropins: [{ name: 'a.conf', contents: '[Service]\n' }] }),
    message: 'invalid unit content: unable to find end of section',
    path: ['systemd', 'units', 0, 'dropins', 0, 'contents'],
  },
  {
    code: 'dropin-extension',
    bad: unit({ dropins: [{ name: 'a.ini' }] }),
    good: unit({ dropins: [{ name: 'a.conf' }] }),
    message: 'invalid systemd drop-in extension',
    path: ['systemd', 'units', 0, 'dropins', 0, 'name'],
  },
  {
    code: 'dropin-extension',
    bad: unit({ dropins: [{ name: 'conf' }] }),
    good: unit({ dropins: [{ name: '.conf' }] }),
    message: 'invalid systemd drop-in extension',
    path: ['systemd', 'units', 0, 'dropins', 0, 'name'],
  },
  {
    code: 'template-no-install',
    severity: 'warning',
    bad: {
      systemd: {
        units: [
          { name: 'x@.service', contents: '[Service]\nExecStart=/bin/true\n' },
          { name: 'x@a.service', enabled: true },
        ],
      },
    },
    good: {
      systemd: {
        units: [
          { name: 'x@.service', contents: '[Install]\nWantedBy=a.target\n' },
          { name: 'x@a.service', enabled: true },
        ],
      },
    },
    message: 'template unit "x@.service" for "x@a.service" doesn\'t have Install section',
    path: ['systemd', 'units', 1, 'contents'],
  },
];

const withVersion = (c: object, v: Version) => ({ ...c, ignition: { ...((c as { ignition?: object }).ignition ?? {}), version: v } });

describe('semantic rules', () => {
  it('the registry names every rule its modules export, once', () => {
    const isRule = (x: unknown) => typeof x === 'object' && x !== null && 'check' in x && 'on' in x;
    const exported = Object.entries({ ...resourceRules, ...nodeRules, ...diskRules, ...filesystemRules, ...systemdRules }).filter(([, v]) => isRule(v));
    expect(exported.filter(([, r]) => !RULES.includes(r as (typeof RULES)[number])).map(([name]) => name)).toEqual([]);
    expect(new Set(RULES).size).toBe(RULES.length);
    expect(RULES.length).toBe(exported.length);
  });
  it('every rule has at least one case', () => {
    const tested = new Set(cases.map((c) => c.code));
    expect(RULES.map((r) => r.code).filter((code) => !tested.has(code))).toEqual([]);
  });
  for (const c of cases) {
    const v = c.version ?? '3.6.0';
    it(`${c.code}: ${c.message} (${v})`, () => {
      const bad = checkConfig(withVersion(c.bad, v), v);
      expect(bad).toContainEqual(expect.objectContaining({ code: c.code, message: c.message, path: c.path, severity: c.severity ?? 'error' }));
      const good = checkConfig(withVersion(c.good, v), v);
      expect(good.filter((d) => d.code === c.code)).toEqual([]);
    });
  }
  it('reports duplicates in one key space across files, directories and links', () => {
    const d = checkConfig({ ignition: { version: '3.3.0' }, storage: { files: [{ path: '/a' }], links: [{ path: '/a', target: '/b' }] } }, '3.3.0');
    expect(d).toContainEqual(expect.objectContaining({ code: 'duplicate', message: 'duplicate entry defined', path: ['storage', 'links', 0] }));
  });
  it('treats kernel arguments to add and to remove as one key space', () => {
    const d = checkConfig({ ignition: { version: '3.3.0' }, kernelArguments: { shouldExist: ['quiet'], shouldNotExist: ['quiet'] } }, '3.3.0');
    expect(d).toContainEqual(expect.objectContaining({ code: 'duplicate', path: ['kernelArguments', 'shouldNotExist', 0] }));
  });
  it('does not report duplicates in concatenated lists', () => {
    const d = checkConfig({ ignition: { version: '3.3.0' }, storage: { filesystems: [{ device: '/dev/a', format: 'ext4', options: ['-E', '-E'] }] } }, '3.3.0');
    expect(d).toEqual([]);
  });
  it('run on objects of the model, typed by the generated types (checked by the typecheck)', () => {
    expect(RULES.filter((r) => !objectNames().includes(r.on)).map((r) => r.code)).toEqual([]);
    const base = { code: 'x', severity: 'error', message: 'x' } as const;
    // @ts-expect-error: the model has no object `Flie`
    rule({ ...base, on: 'Flie', check: () => false });
    // @ts-expect-error: a File has no `device`
    rule({ ...base, on: 'File', check: (f) => f.device === '' });
    expect(rule({ ...base, on: 'File', check: (f) => f.contents?.source === undefined }).check({}, { version: '3.6.0', config: {} })).toBe(true);
  });
});
