// Every semantic rule, grouped by the object it checks. A spec version is this list filtered by
// each rule's since/until.
//
// A rule is added by writing it in the module of its object and naming it in that module's list
// (test/config/rules.test.ts fails on an exported rule missing from it). Listed, not found by
// `import * as`: a bundle gives a namespace a getter per export, and every command that checks a
// config called each of those 65 getters once, cold (1.4 M instructions of each such start).
import { DISK_RULES } from './disks.js';
import { FILESYSTEM_RULES } from './filesystems.js';
import { NODE_RULES } from './nodes.js';
import { RESOURCE_RULES } from './resources.js';
import type { Rule } from './rule.js';
import { SYSTEMD_RULES } from './systemd.js';

/** Module by module, each module's rules in the order of their names. */
export const RULES: readonly Rule[] = [...RESOURCE_RULES, ...NODE_RULES, ...DISK_RULES, ...FILESYSTEM_RULES, ...SYSTEMD_RULES];

/** Rules by the model object they run on. */
export const RULES_BY_OBJECT: ReadonlyMap<string, readonly Rule[]> = (() => {
  const m = new Map<string, Rule[]>();
  RULES.forEach((r) => {
    const list = m.get(r.on);
    if (list) list.push(r);
    else m.set(r.on, [r]);
  });
  return m;
})();
