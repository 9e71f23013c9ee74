// The folders form layers: an import between two folders goes one way only, so no set of folders
// imports each other in a circle (a folder of src/ or transpiler/ is one room; each of the other
// top-level folders is one). The test names the circle and the files that close it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';

const ROOTS = ['src', 'transpiler', 'initramfs', 'scripts', 'bench'];
const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|mjs|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** src/engine/acquire.ts -> src/engine; transpiler/transpile.ts -> transpiler; scripts/x -> scripts. */
function room(file: string): string {
  const parts = file.split(path.sep);
  if ((parts[0] === 'src' || parts[0] === 'transpiler') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** Folder -> folder edges, each with one import that makes it. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of ROOTS.flatMap((r) => sourceFiles(r))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = path.relative('.', path.resolve(path.dirname(file), m[1]));
      const [from, to] = [room(file), room(target)];
      if (from === to || !ROOTS.includes(to.split('/')[0])) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, `${file} imports ${m[1]}`);
    }
  }
  return graph;
}

/** The first circle found by a depth-first walk, as the list of its edges' witnesses. */
function findCircle(graph: Map<string, Map<string, string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | undefined => {
    state.set(n, 'open');
    stack.push(n);
    for (const m of (graph.get(n) ?? new Map()).keys()) {
      if (state.get(m) === 'open') {
        const loop = [...stack.slice(stack.indexOf(m)), m];
        return loop.slice(1).map((to, i) => `${loop[i]} -> ${to}: ${graph.get(loop[i])!.get(to)}`);
      }
      if (!state.has(m)) {
        const found = visit(m);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(n, 'done');
    return undefined;
  };
  for (const n of [...graph.keys()].sort()) {
    if (state.has(n)) continue;
    const found = visit(n);
    if (found) return found;
  }
  return undefined;
}

it('no folders import each other in a circle', () => {
  const graph = folderGraph();
  expect(graph.size).toBeGreaterThan(10);
  expect(findCircle(graph) ?? []).toEqual([]);
});

it('finds a circle when there is one (the check itself)', () => {
  const g = new Map([
    ['a', new Map([['b', 'a/x.ts imports ../b/y.js']])],
    ['b', new Map([['c', 'b/y.ts imports ../c/z.js']])],
    ['c', new Map([['a', 'c/z.ts imports ../a/x.js']])],
  ]);
  expect(findCircle(g)).toEqual(['a -> b: a/x.ts imports ../b/y.js', 'b -> c: b/y.ts imports ../c/z.js', 'c -> a: c/z.ts imports ../a/x.js']);
  expect(findCircle(new Map([['a', new Map([['b', 'x']])]]))).toBeUndefined();
});

it('the bottom layers (model, diag, host) import nothing above them', () => {
  const graph = folderGraph();
  const bottom = ['src/model', 'src/diag', 'src/host'];
  for (const b of bottom) for (const [to, why] of graph.get(b) ?? []) expect(bottom.includes(to) || to === 'src/generated', `${b} -> ${to}: ${why}`).toBe(true);
});
