// A RootView that layers the effects of planned operations over the probed root, so later
// decisions (does the file exist? is the parent there?) see what earlier operations will do.
import type { NodeInfo, RootView } from '../rootview.js';
import { components, isWithin } from '../vpath.js';

export class SimulatedRoot implements RootView {
  private readonly overlay = new Map<string, NodeInfo | null>();
  /** Subtrees removed by the plan: base entries below them are gone even if the top is recreated. */
  private readonly removed: string[] = [];
  private nextIno = 1;
  /**
   * What the probed root holds at each path asked about. Planning reads it and never writes it, and
   * resolving every entry's path asks again for each of its parents (/etc 27 times in the example).
   */
  private readonly probed = new Map<string, NodeInfo | null>();

  constructor(private readonly base: RootView) {}

  lstat(vpath: string): NodeInfo | null {
    if (vpath === '/') return this.probe('/') ?? { kind: 'dir', mode: 0o755, uid: 0, gid: 0 };
    const o = this.overlay.get(vpath);
    if (o !== undefined) return o;
    if (this.removed.some((r) => isWithin(vpath, r))) return null;
    return this.probe(vpath);
  }

  private probe(vpath: string): NodeInfo | null {
    let node = this.probed.get(vpath);
    if (node === undefined) this.probed.set(vpath, (node = this.base.lstat(vpath)));
    return node;
  }

  readText(vpath: string): string | null {
    if (this.overlay.has(vpath) || this.removed.some((r) => isWithin(vpath, r))) return null;
    return this.base.readText(vpath);
  }

  exists(vpath: string): boolean {
    return this.lstat(vpath) !== null;
  }

  /** Records a new node; returns it. */
  put(vpath: string, node: Omit<NodeInfo, 'ino' | 'dev'> & Partial<Pick<NodeInfo, 'ino' | 'dev'>>): NodeInfo {
    const full: NodeInfo = { dev: -1, ino: -this.nextIno++, ...node };
    this.overlay.set(vpath, full);
    return full;
  }

  removeTree(vpath: string): void {
    for (const k of [...this.overlay.keys()]) if (isWithin(k, vpath)) this.overlay.delete(k);
    this.removed.push(vpath);
    this.overlay.set(vpath, null);
  }

  /** MkdirAll: returns the components it creates, shallowest first. */
  mkdirAll(vpath: string): string[] {
    const created: string[] = [];
    const parts = components(vpath);
    for (let i = 1; i <= parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      if (!this.lstat(p)) {
        this.put(p, { kind: 'dir', mode: 0o755, uid: 0, gid: 0 });
        created.push(p);
      }
    }
    return created;
  }
}
