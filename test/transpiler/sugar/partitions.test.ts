// Transpiler unit tests: fcos partition checks: reserved labels, root size, reuse by label.
import { describe, expect, it } from 'vitest';
import { diags } from '../helpers.js';

describe('fcos partition checks', () => {
  it('warns about label-only partitions on kept tables (1.6+) and reserved labels at other numbers', () => {
    const y = (v: string) => `variant: fcos
version: ${v}
storage:
  disks:
    - device: /dev/vdb
      partitions:
        - label: data
        - label: root
          number: 5
    - device: /dev/disk/by-id/coreos-boot-disk
      partitions:
        - label: var
`;
    expect(diags(y('1.6.0'))).toEqual([
      '7:11 warning partitions cannot be reused by label; number must be specified except on boot disk (/dev/disk/by-id/coreos-boot-disk) or when wipe_table is true',
      '8:18 warning root partition cannot expand; it is set to fill available space but is followed by an auto-positioned partition',
      '8:18 warning incorrect partition number; a new partition will be created using reserved label',
    ]);
    const root = '8:18 warning root partition cannot expand; it is set to fill available space but is followed by an auto-positioned partition';
    expect(diags(y('1.5.0'))).toEqual([root, '8:18 warning incorrect partition number; a new partition will be created using reserved label']);
    expect(diags(y('1.5.0').replace('    - device: /dev/vdb\n', '    - device: /dev/vdb\n      wipe_table: true\n'))).toEqual([root.replace('8:18', '9:18')]);
    expect(diags(y('1.2.0'))).toEqual(['8:18 warning incorrect partition number; a new partition will be created using reserved label']);
  });
  it('only the reserved labels themselves are reserved (not names every object has, like constructor)', () => {
    const y =
      'variant: fcos\nversion: 1.5.0\nstorage:\n  disks:\n    - device: /dev/vdb\n      wipe_table: false\n      partitions:\n        - label: constructor\n          number: 7\n';
    expect(diags(y)).toEqual([]);
  });
});
