// Spec upgrades as a list of small steps over plain objects. Almost every step is the identity:
// the JSON shape of 3.x never changed incompatibly. The one real change is that special mode bits
// (setuid/setgid/sticky) only work from 3.6.0 on, so older configs lose them.
import { LATEST, VERSIONS, compareVersions, type Version } from '../model/versions.js';

type Obj = Record<string, any>;

interface Step {
  from: Version;
  to: Version;
  migrate(c: Obj): void;
}

const maskSpecialBits = (c: Obj) => {
  for (const list of [c.storage?.files, c.storage?.directories])
    for (const n of list ?? []) if (typeof n.mode === 'number') n.mode &= ~0o7000;
};

const STEPS: Step[] = VERSIONS.slice(1).map((to, i) => ({
  from: VERSIONS[i],
  to,
  migrate: to === '3.6.0' ? maskSpecialBits : () => {},
}));

/** Translates a decoded config of `from` up to `to` (default: the latest), without mutating it. */
export function translate(config: Obj, from: Version, to: Version = LATEST): Obj {
  const out = structuredClone(config);
  for (const step of STEPS) if (compareVersions(step.from, from) >= 0 && compareVersions(step.to, to) <= 0) step.migrate(out);
  out.ignition = { ...out.ignition, version: to };
  return out;
}
