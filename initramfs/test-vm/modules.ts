// Kernel module closure from modules.dep, in load order (dependencies first). Pure: busybox insmod
// knows nothing about dependencies, so the initramfs carries an explicit ordered list.

/** Module name as the kernel sees it: basename without `.ko[.xz|.zst|.gz]`, `-` folded to `_`. */
export function moduleName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.replace(/\.ko(\.(xz|zst|gz))?$/, '').replace(/-/g, '_');
}

/** modules.dep text → path of each module (relative to /lib/modules/<ver>) and its direct deps. */
export function parseModulesDep(text: string): Map<string, { path: string; deps: string[] }> {
  const out = new Map<string, { path: string; deps: string[] }>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon).trim();
    const deps = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    out.set(moduleName(path), { path, deps: deps.map(moduleName) });
  }
  return out;
}

/**
 * Paths of `wanted` and everything they need, each after its dependencies, each once.
 * Names absent from modules.dep are built into the kernel when listed in modules.builtin;
 * anything else is an error naming the module, since the guest would fail later and less clearly.
 */
export function moduleClosure(dep: Map<string, { path: string; deps: string[] }>, wanted: string[], builtin: Set<string> = new Set()): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, from: string[]): void => {
    const n = name.replace(/-/g, '_');
    if (seen.has(n)) return;
    const m = dep.get(n);
    if (!m) {
      if (builtin.has(n)) return;
      throw new Error(`kernel module ${n} not found in modules.dep${from.length ? ` (needed by ${from.join(' <- ')})` : ''}`);
    }
    seen.add(n);
    for (const d of m.deps) visit(d, [n, ...from]);
    order.push(m.path);
  };
  for (const w of wanted) visit(w, []);
  return order;
}

/** modules.builtin text → set of module names compiled into the kernel. */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(text.split('\n').filter(Boolean).map(moduleName));
}
