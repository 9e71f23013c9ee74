// Spec upgrades as a list of small steps over plain objects. Almost every step is the identity:
// the JSON shape of 3.x never changed incompatibly. The one real change is that special mode bits
// (setuid/setgid/sticky) only work from 3.6.0 on, so older configs lose them.
import { LATEST, VERSIONS, compareVersions, type Version } from '../model/versions.js';

type Obj = Record<string, any>;

interface Step {
  from: Version;
  to: Version;
  migrate(c: Obj): Obj;
}

// Steps return a new object and copy only what they change, so inputs are never mutated.
const maskSpecialBits = (c: Obj): Obj => {
  const mask = (list: Obj[] | undefined) => list?.map((n) => (typeof n.mode === 'number' && n.mode & 0o7000 ? { ...n, mode: n.mode & ~0o7000 } : n));
  if (!c.storage) return c;
  const storage = { ...c.storage };
  if (storage.files) storage.files = mask(storage.files);
  if (storage.directories) storage.directories = mask(storage.directories);
  return { ...c, storage };
};

const STEPS: Step[] = VERSIONS.slice(1).map((to, i) => ({
  from: VERSIONS[i],
  to,
  migrate: to === '3.6.0' ? maskSpecialBits : (c: Obj) => c,
}));

/** Translates a decoded config of `from` up to `to` (default: the latest), without mutating it. */
export function translate(config: Obj, from: Version, to: Version = LATEST): Obj {
  let out = config;
  for (const step of STEPS) if (compareVersions(step.from, from) >= 0 && compareVersions(step.to, to) <= 0) out = step.migrate(out);
  return { ...out, ignition: { ...out.ignition, version: to } };
}
