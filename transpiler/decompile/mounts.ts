// Units that are exactly what `with_mount_unit` generates for a filesystem become that flag again.
// Butane puts generated units before the user's, in filesystem order, so only such a leading run
// of units is recognised; any other unit stays a unit.
import { inRange } from '../../src/model/versions.js';
import type { Butane, Obj } from '../butane/tree.js';
import { fcosAtLeast, type VariantSpec } from '../butane/variants.js';
import { isObj } from '../core/context.js';
import { mountUnit, underEtcOrVar } from '../sugar/mounts.js';

/** Removes the recognised units from `config` and adds their filesystems' indices to `found`. */
export function recogniseMountUnits(spec: VariantSpec, config: Obj, found: Set<number>): void {
  if (!inRange(spec.ignition, '3.1.0')) return;
  const storage = isObj(config.storage) ? config.storage : {};
  const systemd = isObj(config.systemd) ? config.systemd : {};
  const filesystems = Array.isArray(storage.filesystems) ? (storage.filesystems as unknown[]) : [];
  const units = Array.isArray(systemd.units) ? (systemd.units as unknown[]) : [];
  const luks = Array.isArray(storage.luks) ? (storage.luks as Obj[]) : [];
  let next = 0;
  filesystems.forEach((fs, i) => {
    if (!isObj(fs) || typeof fs.format !== 'string' || fs.format === '') return;
    const swap = fs.format === 'swap' && inRange(spec.ignition, '3.3.0');
    const where = fs.path;
    if (!swap && (typeof where !== 'string' || where === '')) return;
    // fcos 1.6+ refuses mount units outside /etc and /var.
    if (!swap && spec.variant === 'fcos' && fcosAtLeast(spec, '1.6.0') && !underEtcOrVar(String(where))) return;
    const u = units[next];
    if (!isObj(u)) return;
    // An Ignition filesystem and LUKS volume have the fields mountUnit reads, under the same names.
    const want = mountUnit(fs as Butane.Filesystem, luks as Butane.Luks[], swap);
    const keys = Object.keys(u)
      .filter((k) => u[k] !== undefined && u[k] !== null)
      .sort();
    if (JSON.stringify(keys) !== '["contents","enabled","name"]' || u.enabled !== true || u.name !== want.name || u.contents !== want.contents) return;
    found.add(i);
    next++;
  });
  if (next > 0) {
    systemd.units = units.slice(next);
    if ((systemd.units as unknown[]).length === 0) delete systemd.units;
  }
}
