// The small YAML node tree the decoder walks. It is produced either by the fast reader (the common
// subset of YAML that Butane configs use) or, for anything else, converted from the `yaml` package's
// document, so both paths decode identically.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as PkgNode } from 'yaml';

export type Range = [number, number];

export interface YScalar {
  kind: 'scalar';
  /** The string value before type resolution. */
  text: string;
  plain: boolean;
  /** An explicit tag such as `tag:yaml.org,2002:str`. */
  tag?: string;
  range: Range;
}
export interface YPair {
  key: YNode | null;
  value: YNode | null;
}
export interface YMap {
  kind: 'map';
  pairs: YPair[];
  range: Range;
}
export interface YSeq {
  kind: 'seq';
  items: (YNode | null)[];
  range: Range;
}
export interface YAlias {
  kind: 'alias';
  name: string;
  /** The anchored node, when the anchor exists. */
  target?: YNode;
  range: Range;
}
export type YNode = YScalar | YMap | YSeq | YAlias;

/**
 * Converts a parsed `yaml` document (aliases resolved to shared nodes). `text` is the source: a
 * block scalar that ends the file without a line break gets no final newline from Go's yaml.v3,
 * while the `yaml` package adds one; the conversion follows Go.
 */
export function fromYamlPackage(doc: Document.Parsed, text?: string): YNode | null {
  const memo = new Map<PkgNode, YNode>();
  const range = (n: PkgNode): Range => (n.range ? [n.range[0], n.range[1]] : [0, 0]);
  const conv = (n: unknown): YNode | null => {
    if (n === null || n === undefined) return null;
    const node = n as PkgNode;
    const seen = memo.get(node);
    if (seen) return seen;
    if (isScalar(node)) {
      const s: YScalar = {
        kind: 'scalar',
        text: node.source ?? (node.value === null || node.value === undefined ? '' : String(node.value)),
        plain: node.type === 'PLAIN' || node.type === undefined,
        range: range(node),
      };
      if (node.tag) s.tag = node.tag;
      const blockAtEof = (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && text !== undefined && node.range && node.range[1] >= text.length;
      if (blockAtEof && !/[\r\n]$/.test(text) && s.text.endsWith('\n')) s.text = s.text.slice(0, -1);
      memo.set(node, s);
      return s;
    }
    if (isMap(node)) {
      const m: YMap = { kind: 'map', pairs: [], range: range(node) };
      memo.set(node, m);
      for (const p of node.items) if (isPair(p)) m.pairs.push({ key: conv(p.key), value: conv(p.value) });
      return m;
    }
    if (isSeq(node)) {
      const q: YSeq = { kind: 'seq', items: [], range: range(node) };
      memo.set(node, q);
      for (const it of node.items) q.items.push(conv(it));
      return q;
    }
    if (isAlias(node)) {
      const a: YAlias = { kind: 'alias', name: node.source, range: range(node) };
      memo.set(node, a);
      const t = node.resolve(doc) as PkgNode | undefined;
      if (t) a.target = conv(t) ?? undefined;
      return a;
    }
    return null;
  };
  return conv(doc.contents);
}
