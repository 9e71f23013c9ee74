// Checks that a variant's own rules leave out: openshift's --raw output escapes the MachineConfig
// field filters, openshift 4.19+ hides two fcos checks, and the root-partition warning of fcos
// also fires where the layout is fine.
import type { Diagnostic } from '../../diag/diagnostic.js';
import { applyFilters } from '../../../transpiler/butane/filters.js';
import { fcosAtLeast } from '../../../transpiler/butane/variants.js';
import { rootPartitionProblems } from '../../../transpiler/sugar/partitions.js';
import type { LintCheck } from '../check.js';
import { isObj } from '../config-walk.js';
import { deref, member } from '../yaml-walk.js';
import { underEtcOrVar } from '../../../transpiler/sugar/mounts.js';

export const openshiftRawUnfiltered: LintCheck = {
  code: 'openshift-raw-unfiltered',
  severity: 'warning',
  summary: 'with --raw: a field the MachineConfig filters refuse, which raw output lets through unchecked',
  butaneOnly: true,
  run(t, r) {
    const spec = t.spec;
    if (!t.raw || spec?.variant !== 'openshift' || !t.config) return;
    for (const hit of applyFilters(
      t.config,
      spec.filters.filter((f) => !f.check),
    )) {
      r.report({
        message: `${hit.message} in a MachineConfig; --raw output is not checked against this, so it passes here but not through the Machine Config Operator`,
        hint: 'leave it out if the config will ever be applied as a MachineConfig',
        path: hit.path,
      });
    }
  },
};

const BOOT_DISK = '/dev/disk/by-id/coreos-boot-disk';

export const openshiftFcosChecksHidden: LintCheck = {
  code: 'openshift-fcos-checks-hidden',
  severity: 'warning',
  summary: 'openshift 4.19+: the fcos checks openshift skips (partitions reused by label, mount units outside /etc and /var)',
  butaneOnly: true,
  run(t, r) {
    const spec = t.spec;
    if (spec?.variant !== 'openshift' || !fcosAtLeast(spec, '1.6.0')) return;
    const disks = t.config && isObj(t.config.storage) && Array.isArray(t.config.storage.disks) ? (t.config.storage.disks as unknown[]) : [];
    disks.forEach((disk, i) => {
      if (!isObj(disk) || disk.device === BOOT_DISK || disk.wipeTable === true || !Array.isArray(disk.partitions)) return;
      disk.partitions.forEach((p: unknown, j: number) => {
        if (!isObj(p) || (p.number !== undefined && p.number !== 0) || p.label === undefined) return;
        r.report({
          message: 'partition matched by label only on a disk whose table is kept: Ignition cannot reuse it safely (fcos warns; openshift skips the check)',
          hint: 'give the partition its number, or set wipe_table: true to create it',
          path: ['storage', 'disks', i, 'partitions', j, 'label'],
        });
      });
    });
    if (!t.loc) return;
    for (const s of t.walked().slots) {
      if (s.shape !== 'storage.filesystems' || typeof s.path[s.path.length - 1] !== 'number' || s.value?.kind !== 'map') continue;
      const get = (k: string) => {
        const v = deref(member(s.value, k)?.value);
        return v && v.kind === 'scalar' ? { text: v.text, node: v } : undefined;
      };
      const path = get('path');
      if (get('with_mount_unit')?.text !== 'true' || !path || path.text === '' || underEtcOrVar(path.text)) continue;
      r.report({
        message: `a mount unit for ${path.text}: fcos requires with_mount_unit paths under /etc or /var (openshift skips the check); other locations are mounted by the OS image`,
        hint: 'mount it under /var (e.g. /var/lib/...)',
        source: t.loc!.span(path.node.range[0], path.node.range[1]),
      });
    }
  },
};

export const rootConstrainedFalsePositive: LintCheck = {
  code: 'root-constrained-false-positive',
  severity: 'info',
  summary: 'Butane\'s "root partition cannot expand" warning where every auto-positioned partition comes before root (root is created last and fills the rest)',
  butaneOnly: true,
  run(t, r) {
    if (!t.config) return;
    const warnings = t.verdict.filter((d) => d.code === 'root-partition-size' && d.message.startsWith('root partition cannot expand'));
    if (!warnings.length) return;
    const disks = isObj(t.config.storage) && Array.isArray(t.config.storage.disks) ? (t.config.storage.disks as unknown[]) : [];
    for (const p of rootPartitionProblems(t.config)) {
      if (!p.message.startsWith('root partition cannot expand')) continue;
      const [, , i, , j] = p.path as [string, string, number, string, number];
      const parts =
        isObj(disks[i]) && Array.isArray((disks[i] as { partitions?: unknown }).partitions) ? (disks[i] as { partitions: unknown[] }).partitions : [];
      const autoAfter = parts.slice(j + 1).some((o) => isObj(o) && (typeof o.startMiB !== 'number' || o.startMiB === 0));
      if (autoAfter) continue;
      const at = t.spanOf(p.path);
      const d = warnings.find((w: Diagnostic) => at && w.source?.line === at.line && w.source.column === at.column);
      if (!d) continue;
      r.claim(d);
      r.report({
        message:
          'Butane warns that root cannot expand, but every auto-positioned partition of this disk comes before root in the list, so root is created last and fills the rest',
        hint: 'nothing to change; `butane --strict` still fails on this warning (give the other partitions a start_mib to silence it there)',
        source: d.source,
      });
    }
  },
};
