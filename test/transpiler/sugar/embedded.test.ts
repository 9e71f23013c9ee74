// Transpiler unit tests: Ignition validation of the output and of embedded configs, reported at the
// YAML.
import { describe, expect, it } from 'vitest';
import { tr, diags, decode, filesDirs, type O } from '../helpers.js';

const filesDir = filesDirs();

describe('embedded Ignition configs (merge/replace)', () => {
  it('validates inline configs and points into the block scalar', () => {
    const r = tr(`variant: fcos
version: 1.7.0
ignition:
  config:
    merge:
      - inline: |
          {"ignition": {"version": "3.6.0"},
           "storage": {"files": [{"path": "relative"}]}}
`);
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.map((d) => `${d.source?.line}:${d.source?.column} ${d.severity} ${d.message}`)).toEqual([
      '8:43 error embedded config: path not absolute',
    ]);
  });

  it('embeds local configs unchecked, as Butane does (a Butane YAML fragment included)', () => {
    const d = filesDir({
      'bad.ign': '{"ignition": {"version": "3.4.0"}, "systemd": {"units": [{"name": "x.txt"}]}}',
      'frag.bu': 'variant: fcos\nversion: 1.7.0\n',
    });
    const r = tr(
      `variant: fcos
version: 1.7.0
ignition:
  config:
    merge:
      - local: bad.ign
    replace:
      local: frag.bu
`,
      { filesDir: d },
    );
    expect(r.diagnostics).toEqual([]);
    expect(decode((r.config as O).ignition.config.replace)).toBe('variant: fcos\nversion: 1.7.0\n');
  });

  it('checks inline configs as the output spec version, and only warns for other versions', () => {
    const inline = (v: string) =>
      `variant: fcos\nversion: 1.7.0\nignition:\n  config:\n    merge:\n      - inline: '{"ignition":{"version":"${v}"},"storage":{"files":[{"path":"rel"}]}}'\n`;
    expect(diags(inline('3.6.0'))).toEqual(['6:17 error embedded config: path not absolute']);
    expect(tr(inline('3.5.0')).diagnostics.map((x) => [x.severity, x.message])).toEqual([
      ['warning', 'skipping validation of the embedded config: it is not an Ignition 3.6.0 config'],
    ]);
  });
});

describe('Ignition validation through provenance', () => {
  it('reports generated-config errors at the YAML the user wrote, in snake_case', () => {
    const r = tr(
      'variant: fcos\nversion: 1.7.0\nstorage:\n  disks:\n    - device: /dev/vdb\n      partitions:\n        - size_mib: 10\n          type_guid: nope\n          number: 1\n',
    );
    expect(r.diagnostics.map((d) => [d.source?.line, d.source?.column, d.path?.join('.')])).toEqual([[8, 22, 'storage.disks.0.partitions.0.type_guid']]);
  });
});
