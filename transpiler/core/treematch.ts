// Butane's comparison of the decoded config with the YAML tree (vcontext's "context tree does not
// match content tree" warning). After decoding, Butane walks every object of its Go config and
// looks the same path up in the raw YAML tree; where the tree holds something other than a mapping
// there, it warns, and --strict fails. That happens for:
// - an object section written as null (`storage:` with nothing under it): Go keeps an empty
//   object, the tree has a null;
// - an alias (`*name`) where an object is expected: the tree does not follow aliases;
// - an empty list item in a list of objects followed by other items: Go drops the empty item, so
//   the later items no longer line up with the tree's.
// The verdict is Butane's; the messages say what happened.
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { objectDef } from '../../src/model/spec.js';
import { isGoPointer } from '../../src/model/view.js';
import type { Version } from '../../src/model/versions.js';
import { butaneObject, ROOT_OBJECT, type BType } from '../butane/model.js';
import type { Path } from '../butane/tree.js';
import type { VariantSpec } from '../butane/variants.js';
import type { Locator } from '../yaml/yaml.js';
import type { YNode, YSeq } from '../yaml/ynode.js';
import { childPath } from '../../src/diag/config-path.js';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);

/** True for what yaml.v3 resolves to null (a missing value, `~`, `null`, or an explicit !!null). */
export function isYamlNull(n: YNode | null | undefined): boolean {
  if (!n) return true;
  if (n.kind !== 'scalar') return false;
  if (n.tag === 'tag:yaml.org,2002:null') return true;
  return n.plain && n.tag === undefined && NULLS.has(n.text);
}

/** Follows aliases to the node they stand for (null when unresolved). */
function target(n: YNode | null): YNode | null {
  let cur = n;
  for (let hops = 0; cur && cur.kind === 'alias' && hops < 100; hops++) cur = cur.target ?? null;
  return cur && cur.kind === 'alias' ? null : cur;
}

/** Where an empty item of a block list is: the first `-` after the previous item. */
export function emptyItemRange(seq: YSeq, j: number, text: string): [number, number] {
  let from = seq.range[0];
  for (let k = j - 1; k >= 0; k--) {
    const prev = seq.items[k];
    if (prev) {
      from = prev.range[1];
      break;
    }
  }
  const i = text.indexOf('-', from);
  return i >= 0 ? [i, i + 1] : seq.range;
}

export function treeMismatches(root: YNode | null | undefined, spec: VariantSpec, loc: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (n: YNode | null, fallback: [number, number]) => (n ? loc.span(n.range[0], n.range[1]) : loc.span(fallback[0], fallback[1]));

  const mismatch = (node: YNode | null, yamlPath: Path, near: [number, number]) => {
    const name = String(yamlPath[yamlPath.length - 1]);
    let message: string;
    let hint: string;
    if (node && node.kind === 'alias') {
      message = `the alias *${node.name} stands where Butane expects a mapping; Butane then cannot check the keys inside it or place problems in it, and warns`;
      hint = 'write the mapping out here (a `<<: *name` merge key warns too)';
    } else if (typeof yamlPath[yamlPath.length - 1] === 'number') {
      const list = String(yamlPath[yamlPath.length - 2]);
      message = `an empty list item in ${list} comes before other items: Butane drops it, then lines the later items up with the wrong YAML entries, and warns`;
      hint = 'remove the empty `-` entry';
    } else {
      message = `${name} has no value (null) where a mapping is expected; Butane warns that it cannot line its config up with the YAML here`;
      hint = `remove the \`${name}:\` line, or write \`${name}: {}\``;
    }
    out.push({ severity: 'warning', code: 'yaml-tree-mismatch', message, path: yamlPath, source: at(node, near), hint });
  };

  /** `node` is the tree node at the path of an object Go has (no alias followed). */
  const visitObject = (node: YNode | null, objName: string, later: Record<string, Version> | undefined, yamlPath: Path, near: [number, number]) => {
    if (!node || node.kind !== 'map') {
      mismatch(node, yamlPath, near);
      return;
    }
    const fields = butaneObject(spec, objName, later).fields;
    for (let i = 0; i < node.pairs.length; i++) {
      const pair = node.pairs[i];
      const key = pair.key && pair.key.kind === 'scalar' ? pair.key.text : undefined;
      const field = key === undefined ? undefined : fields.get(key);
      if (!field) continue;
      const near2: [number, number] = pair.key ? pair.key.range : node.range;
      // An object Butane holds by a pointer (clevis and its custom pin in spec 3.2) stays unset
      // when null, so there is nothing to compare.
      const ign = objectDef(objName)?.fields.get(field.key);
      if (ign && isGoPointer(ign, spec.ignition) && isYamlNull(target(pair.value))) continue;
      visitField(pair.value, field.type, childPath(yamlPath, key!), near2);
    }
  };

  const visitField = (node: YNode | null, type: BType, yamlPath: Path, near: [number, number]) => {
    if (typeof type === 'string' || 'map' in type) return;
    if ('obj' in type) {
      visitObject(node, type.obj, type.later, yamlPath, near);
      return;
    }
    const item = type.list;
    if (typeof item === 'string' || !('obj' in item)) return;
    // The tree has the list only where it is written out; an aliased list is not looked into.
    if (!node || node.kind !== 'seq') return;
    const kept = node.items.filter((x) => !isYamlNull(target(x))).length;
    for (let j = 0; j < kept; j++)
      visitObject(node.items[j], item.obj, item.later, childPath(yamlPath, j), node.items[j]?.range ?? emptyItemRange(node, j, loc.lines.text));
  };

  if (root && root.kind === 'map') visitObject(root, ROOT_OBJECT, undefined, [], root.range);
  return out;
}
