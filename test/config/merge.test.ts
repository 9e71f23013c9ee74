// Ignition's merge semantics.
import { describe, expect, it } from 'vitest';
import { mergeConfigs } from '../../src/config/merge.js';

const v = { ignition: { version: '3.7.0-experimental' } };

describe('mergeConfigs', () => {
  it('child scalars win; absent child fields keep the parent', () => {
    const m = mergeConfigs(
      { ...v, ignition: { ...v.ignition, timeouts: { httpTotal: 5, httpResponseHeaders: 1 } } },
      { ...v, ignition: { ...v.ignition, timeouts: { httpTotal: 9 } } },
    );
    expect(m.ignition.timeouts).toEqual({ httpTotal: 9, httpResponseHeaders: 1 });
  });
  it('merges keyed entries in the parent position and appends child-only entries', () => {
    const m = mergeConfigs(
      {
        ...v,
        systemd: {
          units: [
            { name: 'a.service', enabled: true },
            { name: 'b.service', mask: true },
          ],
        },
      },
      { ...v, systemd: { units: [{ name: 'c.service' }, { name: 'a.service', contents: '[Unit]\n' }] } },
    );
    expect(m.systemd?.units).toEqual([{ name: 'a.service', enabled: true, contents: '[Unit]\n' }, { name: 'b.service', mask: true }, { name: 'c.service' }]);
  });
  it('files, directories and links share one key space', () => {
    const m = mergeConfigs(
      { ...v, storage: { files: [{ path: '/x', mode: 420 }, { path: '/keep' }], directories: [{ path: '/d' }] } },
      { ...v, storage: { directories: [{ path: '/x', mode: 493 }], links: [{ path: '/d', target: '/t' }] } },
    );
    expect(m.storage).toEqual({ files: [{ path: '/keep' }], directories: [{ path: '/x', mode: 493 }], links: [{ path: '/d', target: '/t' }] });
  });
  it('concatenates appends and option lists', () => {
    const m = mergeConfigs(
      {
        ...v,
        storage: { files: [{ path: '/f', append: [{ source: 'data:,a' }] }], filesystems: [{ device: '/dev/a', options: ['-a'], mountOptions: ['ro'] }] },
      },
      {
        ...v,
        storage: { files: [{ path: '/f', append: [{ source: 'data:,a' }] }], filesystems: [{ device: '/dev/a', options: ['-b'], mountOptions: ['noatime'] }] },
      },
    );
    expect(m.storage?.files?.[0].append).toEqual([{ source: 'data:,a' }, { source: 'data:,a' }]);
    expect(m.storage?.filesystems?.[0]).toEqual({ device: '/dev/a', options: ['-a', '-b'], mountOptions: ['ro', 'noatime'] });
  });
  it('a child HTTP header without a value deletes the parent header', () => {
    const res = (h: object[]) => ({ ...v, ignition: { ...v.ignition, config: { replace: { source: 'https://h/c', httpHeaders: h } } } });
    const m = mergeConfigs(
      res([
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ]),
      res([{ name: 'A' }, { name: 'C', value: '3' }]),
    );
    expect(m.ignition.config?.replace?.httpHeaders).toEqual([
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
  });
  it('keys partitions by number, or label when unnumbered', () => {
    const m = mergeConfigs(
      {
        ...v,
        storage: {
          disks: [
            {
              device: '/dev/a',
              partitions: [
                { number: 1, sizeMiB: 10 },
                { label: 'x', sizeMiB: 1 },
              ],
            },
          ],
        },
      },
      {
        ...v,
        storage: {
          disks: [
            {
              device: '/dev/a',
              partitions: [
                { number: 1, label: 'boot' },
                { label: 'x', sizeMiB: 2 },
              ],
            },
          ],
        },
      },
    );
    expect(m.storage?.disks?.[0].partitions).toEqual([
      { number: 1, sizeMiB: 10, label: 'boot' },
      { label: 'x', sizeMiB: 2 },
    ]);
  });
  it('string lists merge by value; kernel arguments share a key space', () => {
    const m = mergeConfigs(
      { ...v, kernelArguments: { shouldExist: ['quiet', 'x=1'] }, passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['k1'] }] } },
      { ...v, kernelArguments: { shouldNotExist: ['quiet'] }, passwd: { users: [{ name: 'core', sshAuthorizedKeys: ['k1', 'k2'] }] } },
    );
    expect(m.kernelArguments).toEqual({ shouldExist: ['x=1'], shouldNotExist: ['quiet'] });
    expect(m.passwd?.users?.[0].sshAuthorizedKeys).toEqual(['k1', 'k2']);
  });
  it('does not mutate its inputs', () => {
    const p = { ...v, storage: { files: [{ path: '/a' }] } };
    const c = { ...v, storage: { files: [{ path: '/a', mode: 1 }] } };
    mergeConfigs(p, c);
    expect(p.storage.files[0]).toEqual({ path: '/a' });
  });
  it('tells a trace where each value of the result comes from', () => {
    const seen: string[] = [];
    const j = (p: (string | number)[]) => p.join('.') || '$';
    mergeConfigs(
      { ...v, storage: { files: [{ path: '/a', mode: 1 }, { path: '/b' }], filesystems: [{ device: '/d', mountOptions: ['x'] }] } },
      { ...v, storage: { files: [{ path: '/c' }, { path: '/a', mode: 2 }], filesystems: [{ device: '/d', mountOptions: ['y'] }] } },
      undefined,
      {
        take: (out, from, at) => seen.push(`${j(out)} = ${from} ${j(at)}`),
        merge: (out, p, c) => seen.push(`${j(out)} = parent ${j(p)} + child ${j(c)}`),
      },
    );
    expect(seen).toEqual([
      '$ = parent $ + child $',
      'ignition = parent ignition + child ignition',
      'ignition.version = child ignition.version',
      'storage = parent storage + child storage',
      'storage.files = parent storage.files + child storage.files',
      'storage.files.0 = parent storage.files.0 + child storage.files.1',
      'storage.files.0.mode = child storage.files.1.mode',
      'storage.files.0.path = child storage.files.1.path',
      'storage.files.1 = parent storage.files.1',
      'storage.files.2 = child storage.files.0',
      'storage.filesystems = parent storage.filesystems + child storage.filesystems',
      'storage.filesystems.0 = parent storage.filesystems.0 + child storage.filesystems.0',
      'storage.filesystems.0.device = child storage.filesystems.0.device',
      'storage.filesystems.0.mountOptions = parent storage.filesystems.0.mountOptions + child storage.filesystems.0.mountOptions',
      'storage.filesystems.0.mountOptions.0 = parent storage.filesystems.0.mountOptions.0',
      'storage.filesystems.0.mountOptions.1 = child storage.filesystems.0.mountOptions.0',
    ]);
  });
});
