// A small YAML writer for decompiled configs: block mappings and lists, keys in the order given,
// modes in octal, multi-line text as literal blocks, and every other string plain only when YAML
// cannot read it as anything else. Each literal block is read back with Kindling's own YAML reader
// and written double-quoted instead when it would not come back byte for byte.
import { parseYaml } from '../yaml/yaml.js';

export type YamlValue = string | number | boolean | null | YamlValue[] | { [k: string]: YamlValue } | Octal;

/** A number written in octal (file modes). */
export class Octal {
  constructor(readonly value: number) {}
}

// Plain scalars that YAML 1.1 or 1.2 would read as something other than a string.
const SPECIAL =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|<<)$/;
const NUMBERISH = /^[-+]?(?:[0-9_]+(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9_]+|0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;
const PLAIN = /^[A-Za-z0-9_./$^(][A-Za-z0-9_./$^()@%+=,;~:-]*(?: [A-Za-z0-9_./$^()@%+=,;~:-]+)*$/;
const MAPPING_COLON = /: |:$/;
// What a literal block cannot hold, trailing line breaks, a first line that starts with a space or
// tab, a line of only spaces or tabs. (Patterns here, not in the functions: a pattern literal makes
// a new RegExp object at each evaluation, and plainOk runs for every string written.)
const NOT_IN_LITERAL = /[\r\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
const TRAILING_BREAKS = /\n+$/;
const LEADING_BLANK = /^[ \t]/;
const BLANK_LINE = /(^|\n)[ \t]+(\n|$)/;
/** Line breaks of YAML 1.1 (and the BOM) that JSON's escapes leave as they are. */
const YAML_ONLY_BREAKS = /[\u0085\u2028\u2029\ufeff]/g;

function plainOk(s: string): boolean {
  return PLAIN.test(s) && !SPECIAL.test(s) && !NUMBERISH.test(s) && !MAPPING_COLON.test(s);
}

/** Double-quoted: JSON's escapes are YAML's, plus the line breaks YAML 1.1 knows beyond \n. */
export function quoted(s: string): string {
  return JSON.stringify(s).replace(YAML_ONLY_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A literal block for `s` at `indent`, or undefined when `s` cannot be one. */
function literal(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || NOT_IN_LITERAL.test(s)) return undefined;
  const body = s.replace(TRAILING_BREAKS, '');
  if (body === '' || LEADING_BLANK.test(body) || BLANK_LINE.test(body)) return undefined;
  const trailing = s.length - body.length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const lines = (chomp === '+' ? s.slice(0, -1) : body).split('\n');
  const text = `|${chomp}\n` + lines.map((l) => (l === '' ? '' : indent + l)).join('\n');
  // Read it back: the block must give the same string.
  const probe = parseYaml(`k: ${text}\n`, undefined);
  const root = probe.root;
  const v = root && root.kind === 'map' ? root.pairs[0]?.value : undefined;
  return v && v.kind === 'scalar' && v.text === s && !probe.diagnostics.length ? text : undefined;
}

function scalar(v: YamlValue, indent: string): string {
  if (v instanceof Octal) return v.value === 0 ? '0' : '0' + v.value.toString(8);
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new Error('not a scalar');
  if (plainOk(v)) return v;
  return literal(v, indent) ?? quoted(v);
}

const isScalar = (v: YamlValue) => v === null || typeof v !== 'object' || v instanceof Octal;
const key = (k: string) => (plainOk(k) ? k : quoted(k));

function emit(v: YamlValue, indent: string, out: string[], prefix: string): void {
  if (isScalar(v)) {
    out.push(prefix + scalar(v, indent + '  '));
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(prefix + '[]');
      return;
    }
    if (prefix.trim() !== '') out.push(prefix.trimEnd());
    for (const item of v) {
      if (isScalar(item)) out.push(`${indent}- ${scalar(item, indent + '  ')}`);
      else if (Array.isArray(item)) emit(item, indent + '  ', out, `${indent}- `);
      else emitMap(item as Record<string, YamlValue>, indent + '  ', out, `${indent}- `);
    }
    return;
  }
  emitMap(v as Record<string, YamlValue>, indent, out, prefix);
}

function emitMap(m: Record<string, YamlValue>, indent: string, out: string[], prefix: string): void {
  const entries = Object.entries(m);
  if (entries.length === 0) {
    out.push(prefix + '{}');
    return;
  }
  let first = true;
  // A map that is a list item starts on the dash line; one under a key starts on the next line.
  const inline = prefix.endsWith('- ');
  if (!inline && prefix.trim() !== '') out.push(prefix.trimEnd());
  for (const [k, val] of entries) {
    const lead = first && inline ? prefix : indent;
    first = false;
    if (isScalar(val)) out.push(`${lead}${key(k)}: ${scalar(val, indent + '  ')}`);
    else if (Array.isArray(val)) {
      if (val.length === 0) out.push(`${lead}${key(k)}: []`);
      else {
        // Lists under a key are written at the key's indentation, as Butane's docs do.
        out.push(`${lead}${key(k)}:`);
        emit(val, indent + '  ', out, '');
      }
    } else if (Object.keys(val).length === 0) out.push(`${lead}${key(k)}: {}`);
    else {
      out.push(`${lead}${key(k)}:`);
      emitMap(val as Record<string, YamlValue>, indent + '  ', out, '');
    }
  }
}

/** The YAML text of a mapping. */
export function toYaml(doc: Record<string, YamlValue>): string {
  const out: string[] = [];
  emitMap(doc, '', out, '');
  return out.join('\n') + '\n';
}
