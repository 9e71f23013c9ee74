// systemd.units → operations: unit files and drop-ins under /etc/systemd/system, masks as
// symlinks to /dev/null, enablement as lines of the Ignition preset file (sorted; instances of one
// template grouped on one line), disabling only units that are currently enabled.
import type { Config } from '../../../generated/types.js';
import { vdirname, vjoin } from '../vpath.js';
import { ensureParent, relabelNew, relabelPath, resolve, type PlanContext } from './context.js';
import { childPath } from '../../../diag/config-path.js';

interface Preset {
  unit: string;
  enabled: boolean;
  instances: string[] | null;
}

/** `x@a.service` → [`x@.service`, `a`]. */
export function splitInstance(name: string): [string, string] | null {
  const at = name.indexOf('@');
  const dot = name.lastIndexOf('.');
  if (at < 0 || dot < 0 || dot < at) return null;
  return [name.slice(0, at + 1) + name.slice(dot), name.slice(at + 1, dot)];
}

export function planUnits(ctx: PlanContext, config: Config): void {
  const unitDir = ctx.paths.systemdUnitDir;
  const presets = new Map<string, Preset>();
  (config.systemd?.units ?? []).forEach((unit, i) => {
    const cp = ['systemd', 'units', i];
    if (unit.name.includes('/')) ctx.warnings.push(`unit name ${JSON.stringify(unit.name)} contains "/": it is written inside the root at the resolved path`);
    let dropinDirRelabelled = false;
    (unit.dropins ?? []).forEach((d, j) => {
      if (d.contents === undefined) return;
      const dcp = childPath(cp, 'dropins', j);
      const path = resolve(ctx, vjoin(unitDir, unit.name + '.d', d.name), dcp);
      if (path === null) return;
      if (!dropinDirRelabelled) relabelNew(ctx, path);
      dropinDirRelabelled = true;
      if (!ensureParent(ctx, path, dcp)) return;
      ctx.ops.push({ kind: 'write', path, contents: { inline: d.contents }, configPath: dcp });
      ctx.sim.put(path, { kind: 'file', mode: 0o644, uid: 0, gid: 0 });
    });
    const path = resolve(ctx, vjoin(unitDir, unit.name), cp);
    if (path === null) return;
    if (unit.contents) {
      if (ensureParent(ctx, path, cp)) {
        ctx.ops.push({ kind: 'write', path, contents: { inline: unit.contents }, configPath: childPath(cp, 'contents') });
        ctx.sim.put(path, { kind: 'file', mode: 0o644, uid: 0, gid: 0 });
        relabelPath(ctx, path);
      }
    }
    if (unit.enabled !== undefined) {
      const id = unit.enabled ? 'enabled' : 'disabled';
      const inst = unit.name.includes('@') ? splitInstance(unit.name) : null;
      if (inst) {
        const key = `${inst[0]}-${id}`;
        const p = presets.get(key);
        if (p) p.instances!.push(inst[1]);
        else presets.set(key, { unit: inst[0], enabled: unit.enabled, instances: [inst[1]] });
      } else {
        presets.set(`${unit.name}-${id}`, { unit: unit.name, enabled: unit.enabled, instances: null });
      }
    }
    if (unit.mask === true) {
      if (ensureParent(ctx, path, cp)) {
        if (ctx.sim.exists(path)) {
          ctx.ops.push({ kind: 'remove', path, configPath: childPath(cp, 'mask') });
          ctx.sim.removeTree(path);
        }
        ctx.ops.push({ kind: 'symlink', path, target: '/dev/null', configPath: childPath(cp, 'mask') });
        ctx.sim.put(path, { kind: 'symlink', mode: 0o777, uid: 0, gid: 0, target: '/dev/null' });
        relabelPath(ctx, path);
      }
    } else if (unit.mask === false) {
      const st = ctx.sim.lstat(path);
      if (st?.kind === 'symlink' && st.target === '/dev/null') {
        ctx.ops.push({ kind: 'unmask', path, configPath: childPath(cp, 'mask') });
        ctx.sim.removeTree(path);
      }
    }
  });
  if (presets.size === 0) return;
  const presetPath = resolve(ctx, ctx.paths.presetFile);
  if (presetPath === null) return;
  relabelNew(ctx, presetPath);
  // no mkdir here: the parent is created by the first line actually written (a disable of a unit
  // that is not enabled writes nothing, not even the directory)
  for (const key of [...presets.keys()].sort()) {
    const p = presets.get(key)!;
    const unit = p.instances ? `${p.unit} ${p.instances.join(' ')}` : p.unit;
    if (p.enabled) ctx.ops.push({ kind: 'preset', path: presetPath, line: `enable ${unit}` });
    else ctx.ops.push({ kind: 'disable-unit', path: presetPath, unit });
  }
  if (!ctx.sim.exists(presetPath)) {
    ctx.sim.mkdirAll(vdirname(presetPath));
    ctx.sim.put(presetPath, { kind: 'file', mode: 0o644, uid: 0, gid: 0 });
  }
}
