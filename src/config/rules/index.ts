// Every semantic rule, grouped by the object it checks. A spec version is this list filtered by
// each rule's since/until.
import type { Rule } from './rule.js';
import * as disks from './disks.js';
import * as filesystems from './filesystems.js';
import * as nodes from './nodes.js';
import * as resources from './resources.js';
import * as systemd from './systemd.js';

const isRule = (x: unknown): x is Rule => typeof x === 'object' && x !== null && 'check' in x && 'on' in x;

export const RULES: readonly Rule[] = [resources, nodes, disks, filesystems, systemd].flatMap((m) => Object.values(m).filter(isRule));

/** Rules by the model object they run on. */
export const RULES_BY_OBJECT: ReadonlyMap<string, readonly Rule[]> = (() => {
  const m = new Map<string, Rule[]>();
  for (const r of RULES) m.set(r.on, [...(m.get(r.on) ?? []), r]);
  return m;
})();
