// An OpenShift MachineConfig (what `butane` prints for variant openshift) given where an Ignition
// config is expected. ignition-validate rejects it (`invalid character '#'`), and so do we, keeping
// that verdict; but we say what it is, and check the Ignition config it carries under
// spec.config, with every problem placed on the MachineConfig's own lines.
import type { ConfigPath, Diagnostic, SourceSpan } from '../diag/diagnostic.js';
import { parseIgnition } from '../config/parse.js';
import { Locator, parseYaml } from '../../transpiler/yaml/yaml.js';
import type { YNode } from '../../transpiler/yaml/ynode.js';
import type { LoadResult } from './result.js';

/** Undefined when the top-level `kind` is not MachineConfig after all. */
export function loadMachineConfig(text: string, file: string | undefined): LoadResult | undefined {
  const parsed = parseYaml(text, file);
  const root = parsed.root ?? undefined;
  const kind = child(root, 'kind');
  if (root && (kind?.kind !== 'scalar' || kind.text !== 'MachineConfig')) return undefined;
  const loc = new Locator(file, parsed.lines);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const what = 'this is an OpenShift MachineConfig, not an Ignition config; Ignition tools read only the config under spec.config';
  const embedded = child(child(root, 'spec'), 'config');
  if (!embedded) {
    diagnostics.push({
      severity: 'error',
      code: 'machineconfig',
      message: what,
      source: { file, line: 1, column: 1 },
      hint: 'this MachineConfig has no spec.config to check',
    });
    return { diagnostics, text, format: 'ignition' };
  }
  const inner = parseIgnition(JSON.stringify(toJson(embedded)), {});
  const placed = inner.diagnostics.map((d) => place(d, embedded, loc));
  const verdict = placed.some((d) => d.severity === 'error') ? 'has errors (below)' : placed.length ? 'is valid, with warnings (below)' : 'is valid';
  diagnostics.push({
    severity: 'error',
    code: 'machineconfig',
    message: `${what}; the embedded Ignition config ${verdict}`,
    source: { file, line: 1, column: 1 },
    hint: 'for Ignition, use the config itself: `kindling transpile --raw` prints it for a Butane openshift config',
  });
  diagnostics.push(...placed);
  return { diagnostics, text, format: 'ignition' };
}

const SPEC_CONFIG: ConfigPath = ['spec', 'config'];

/** A diagnostic of the embedded config, at the MachineConfig's path and line. */
function place(d: Diagnostic, embedded: YNode, loc: Locator): Diagnostic {
  let node: YNode | undefined = embedded;
  for (const seg of d.path ?? []) {
    const next: YNode | undefined = node && child(node, seg);
    if (!next) break;
    node = next;
  }
  const source: SourceSpan | undefined = node ? loc.span(node.range[0], node.range[1]) : undefined;
  return { ...d, path: [...SPEC_CONFIG, ...(d.path ?? [])], source };
}

function deref(n: YNode | null | undefined): YNode | undefined {
  for (let hops = 0; n && n.kind === 'alias' && hops < 100; hops++) n = n.target;
  return n && n.kind !== 'alias' ? n : undefined;
}

function child(n: YNode | undefined, seg: string | number): YNode | undefined {
  const node = deref(n);
  if (!node) return undefined;
  if (node.kind === 'map' && typeof seg === 'string')
    return deref(node.pairs.find((p) => deref(p.key)?.kind === 'scalar' && (deref(p.key) as { text: string }).text === seg)?.value);
  if (node.kind === 'seq' && typeof seg === 'number') return deref(node.items[seg]);
  return undefined;
}

// YAML 1.2 core-schema scalars, as the Kubernetes YAML reader of the machine-config operator reads them.
const NULL = /^(?:~|null|Null|NULL|)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const INT = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** The JSON value of a node. Aliases expand within a node budget (no alias bombs). */
function toJson(root: YNode): unknown {
  let budget = 100_000;
  const conv = (n: YNode | null | undefined): unknown => {
    const node = deref(n);
    if (!node || --budget < 0) return null;
    if (node.kind === 'map') return Object.fromEntries(node.pairs.map((p) => [String(conv(p.key)), conv(p.value)]));
    if (node.kind === 'seq') return node.items.map(conv);
    if (node.kind !== 'scalar') return null;
    const t = node.text;
    if (!node.plain || node.tag) return t;
    if (NULL.test(t)) return null;
    if (BOOL.test(t)) return t.toLowerCase() === 'true';
    if (INT.test(t)) return t.startsWith('0o') ? parseInt(t.slice(2), 8) : Number(t);
    if (FLOAT.test(t)) return Number(t);
    return t;
  };
  return conv(root);
}
