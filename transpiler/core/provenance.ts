// Provenance, recorded as the translation happens: for every value of a translated config, the
// decoded path of the YAML node it came from (Origins turns that into a place in the file). The
// translators record what they write; the merge of the user's config onto the generated one tells,
// as it decides, which side each merged value comes from, so the merged record is grafted from the
// two sides' records, never reconstructed afterwards.
import type { MergeTrace } from '../../src/config/merge.js';
import type { Path } from '../butane/tree.js';
import { childPath, joinPath } from '../../src/diag/config-path.js';

interface Node {
  /** The decoded path of the YAML node this value came from. */
  src?: Path;
  /** The value is a copy of the decoded value at `src`: a part not recorded sits at the same place below it. */
  mirror?: boolean;
  kids?: Map<string | number, Node>;
}

/** Output path → the YAML node (by decoded path) each value came from. */
export class SourceMap {
  private root: Node = {};
  /** Put before every source recorded through this map (a view for one input of several: `recordingAs`). */
  private prefix: Path = [];

  /**
   * `out` (only) came from the node at `src`: generated from it or renamed (inline → source), or,
   * with `copied`, a copy of it (so a part of it that is not recorded sits at the same place below).
   */
  set(out: Path, src: Path, copied = false): void {
    const n = this.node(out);
    // Paths are never changed once made, so a record may share the caller's.
    n.src = this.prefix.length ? joinPath(this.prefix, src) : src;
    n.mirror = copied;
  }

  /** Records `out` as coming from `src` unless it has a record already (e.g. a list the user started). */
  fill(out: Path, src: Path): void {
    if (!this.find(out)?.src) this.set(out, src);
  }

  /** `value`, written at `out`, and everything in it was generated from the node at `src`. */
  generated(out: Path, value: unknown, src: Path): void {
    const from = joinPath(this.prefix, src);
    recordTree(this.node(out), value, [], () => from, false, false);
  }

  /**
   * `value`, written at `out`, copies the decoded value at the same path: each part of it that has
   * no record yet came from its own place.
   */
  copiedInPlace(out: Path, value: unknown): void {
    const base = joinPath(this.prefix, out);
    // Without a base a record is the part's own path, shared.
    recordTree(this.node(out), value, [], base.length ? (rel) => joinPath(base, rel) : (rel) => rel, true, true);
  }

  /** Forgets every record, in place, so that the views of this map (recordingAs) forget them too. */
  clear(): void {
    this.root.src = undefined;
    this.root.mirror = undefined;
    this.root.kids = undefined;
  }

  /** The source recorded for exactly `out`. */
  get(out: Path): Path | undefined {
    return this.find(out)?.src;
  }

  /**
   * The source of `out`: its own record, else its nearest recorded ancestor's (for a path the
   * config lacks, such as a missing required field), extended by the rest of the path when that
   * ancestor copies the YAML.
   */
  resolve(out: Path): Path {
    // The best record so far in three variables, not an object: a cold run makes an object literal
    // through V8's runtime (thousands of instructions), and this runs for every place reported.
    let src: Path = [];
    let mirror = true;
    let depth = 0;
    let n: Node | undefined = this.root;
    for (let d = 0; n; d++) {
      if (n.src) {
        src = n.src;
        mirror = !!n.mirror;
        depth = d;
      }
      if (d === out.length) break;
      n = n.kids?.get(out[d]);
    }
    return mirror ? joinPath(src, out.slice(depth)) : src;
  }

  /**
   * Puts `tag` before every source recorded (several inputs merged into one config: the input's
   * index), with the whole config coming from the tag's input where nothing else is recorded. In
   * place: the map is its owner's to give up (a translated input's record becomes the tagged one),
   * and a copy of every record would cost a node and a map each.
   */
  tag(tag: Path): this {
    const visit = (n: Node) => {
      if (n.src) n.src = joinPath(tag, n.src);
      n.kids?.forEach(visit);
    };
    visit(this.root);
    if (!this.root.src) Object.assign(this.root, { src: [...tag], mirror: true });
    return this;
  }

  /** This map (the same records), recording the sources written through it with `tag` before them. */
  recordingAs(tag: Path): SourceMap {
    const view = new SourceMap();
    view.root = this.root;
    view.prefix = joinPath(this.prefix, tag);
    return view;
  }

  /** A trace for mergeConfigs(parent, child) that records the result's sources from the two sides'. */
  static merging(parent: SourceMap, child: SourceMap): { trace: MergeTrace; result: SourceMap } {
    const result = new SourceMap();
    const sides = { parent, child };
    const trace: MergeTrace = {
      take(out, from, at) {
        const n = sides[from].find(at);
        if (n) result.graft(out, n);
      },
      merge(out, parentAt, childAt) {
        // The child's entry wins where both have one (Butane: user entries over generated ones).
        const own = child.find(childAt) ?? parent.find(parentAt);
        const n = result.node(out);
        n.src = own?.src;
        n.mirror = own?.mirror;
      },
    };
    return { trace, result };
  }

  private find(out: Path): Node | undefined {
    let n: Node | undefined = this.root;
    for (let i = 0; i < out.length; i++) if (!(n = n.kids?.get(out[i]))) return undefined;
    return n;
  }

  private node(out: Path): Node {
    let n = this.root;
    for (let i = 0; i < out.length; i++) n = kid(n, out[i]);
    return n;
  }

  /** Records a copy of the subtree `sub` (another map's) at `out`. */
  private graft(out: Path, sub: Node): void {
    if (out.length === 0) {
      // In place: a view of this map (recordingAs) shares its root.
      Object.assign(this.root, copyNode(sub));
      return;
    }
    const parent = this.node(out.slice(0, -1));
    (parent.kids ??= new Map()).set(out[out.length - 1], copyNode(sub));
  }
}

// The helpers below are plain functions, not closures made per call: each closure is an object
// allocated at every call that makes it.

/**
 * Records `v` at `n` and each part of it below, the source of a part being `srcOf` its path
 * relative to `v`; with `keepRecorded`, a part recorded already keeps its record. Each record is
 * made below its parent's node: no walk from the root for every value.
 */
function recordTree(n: Node, v: unknown, rel: Path, srcOf: (rel: Path) => Path, mirror: boolean, keepRecorded: boolean): void {
  if (!(keepRecorded && n.src)) {
    n.src = srcOf(rel);
    n.mirror = mirror;
  }
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) recordTree(kid(n, i), v[i], childPath(rel, i), srcOf, mirror, keepRecorded);
  else if (v !== null && typeof v === 'object')
    for (const k in v) recordTree(kid(n, k), (v as Record<string, unknown>)[k], childPath(rel, k), srcOf, mirror, keepRecorded);
}

function copyNode(n: Node): Node {
  return { src: n.src, mirror: n.mirror, kids: n.kids && copyKids(n.kids) };
}

function kid(n: Node, seg: string | number): Node {
  const kids = (n.kids ??= new Map());
  let k = kids.get(seg);
  if (!k) kids.set(seg, (k = {}));
  return k;
}

function copyKids(kids: Map<string | number, Node>): Map<string | number, Node> {
  const out = new Map<string | number, Node>();
  kids.forEach((v, k) => out.set(k, copyNode(v)));
  return out;
}
