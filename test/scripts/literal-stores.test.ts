// The build's pass that rewrites object literals as stores into an empty object
// (scripts/literal-stores.mjs): the rewritten program computes the same values, with the same key
// order, and the literals the pass must not touch are left as they were written. Literals of a
// shape of their own in code that runs once become dictionaries, with the same keys and prototype.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInThisContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { literalsAsStores, moduleInitializer } from '../../scripts/literal-stores.mjs';

/** A program as the build writes one: a function expression, run here with `exports`. */
const program = (body: string) => `(function (exports) {"use strict";${body}\n})`;

function run(text: string): unknown {
  const exports: Record<string, unknown> = {};
  (runInThisContext(text) as (e: object) => void)(exports);
  return exports.result;
}

/** Values with their key order and prototypes spelled out, for comparing two runs. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (typeof v === 'function') return `function ${v.length}`;
  if (v && typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    return { proto: proto === null ? 'null' : proto === Object.prototype ? 'Object' : 'other', entries: Object.entries(v).map(([k, x]) => [k, shape(x)]) };
  }
  return v;
}

const SAME = program(`
  const n = 2, s = 'x';
  function f(a) { return { a, b: a + 1, 'c-d': [a, { e: a * 2 }], 7: s, nested: { deeper: { deepest: a } } }; }
  const g = (a) => ({ g: a, h: () => ({ i: a }) });
  async function* gen() { yield { y: yield 1, z: await Promise.resolve(3) }; }
  const it = gen(); it.next();
  const fromGen = it.next(5);
  class C { constructor(v) { this.v = { w: v }; } m() { return { m: this.v }; } }
  exports.result = [f(n), g(n).g, g(n).h(), new C(4).m(), { first: 1, second: f(0), third: { n } }];
  fromGen.then?.((r) => exports.result.push(r.value));
`);

describe('literals as stores', () => {
  it('gives the same values, key order and prototypes as the literals', () => {
    const out = literalsAsStores(SAME);
    expect(out.count).toBeGreaterThan(8);
    expect(shape(run(out.text))).toEqual(shape(run(SAME)));
    // each rewritten literal builds an empty object and stores into it; a function value is
    // written in a comma expression, which V8 does not allocate as a long-lived function
    expect(out.text).toMatch(/\((\w\w)=\{\},\1\.a=a,\1\.b=a \+ 1,/);
    expect(out.text).toMatch(/\.h=\(0,\(\) => /);
  });

  it('declares its temporaries after the directives of each function, and gives an arrow with an expression body a block', () => {
    const { text } = literalsAsStores(program('function f(x) { "use strict"; return { x }; } const g = (y) => ({ y }); exports.result = [f(1), g(2)];'));
    expect(text).toMatch(/^\(function \(exports\) \{"use strict";/);
    expect(text).toMatch(/function f\(x\) \{ "use strict";var (\w\w); return \(\1=\{\},\1\.x=x,\1\); \}/);
    expect(text).toMatch(/\(y\) => \{var (\w\w);return \(\(\1=\{\},\1\.y=y,\1\)\)\}/);
    expect(run(text)).toEqual([{ x: 1 }, { y: 2 }]);
  });

  it('takes temporaries that the program does not use anywhere, one for each depth of nesting', () => {
    const { text } = literalsAsStores(program('const aa = 1, ab = 2; exports.result = { aa, ab, in: { ac: { ad: "ae" } } };'));
    const declared = /var (\w\w),(\w\w),(\w\w);/.exec(text);
    expect(declared?.slice(1)).toEqual(['af', 'ag', 'ah']);
    expect(run(text)).toEqual({ aa: 1, ab: 2, in: { ac: { ad: 'ae' } } });
  });

  it('leaves the literals it must not rewrite as they are', () => {
    const kept = [
      '({ pa, pb } = source)', // a destructuring assignment
      '{ ...source, sa: 1 }', // a spread
      '{ ma() { return 1; } }', // a method
      '{ get ga() { return 1; } }', // an accessor
      '{ ["c" + 1]: 1 }', // a computed key
      '{ __proto__: null, pr: 1 }', // sets the prototype
      '{ toString: () => "t" }', // a key of Object.prototype
      '{ field: 1 }', // a class field initializer
      '{ dflt: 1 }', // a parameter default
    ];
    const body = `
      let pa, pb; const source = { pa: 1, pb: 2 };
      ({ pa, pb } = source);
      for (const { fo } of [{ fo: 1 }]) void fo;
      class K { f = { field: 1 }; }
      function d(o = { dflt: 1 }) { return o; }
      const loop = []; for (let i = 0; i < 2; i++) loop.push({ inLoop: i });
      exports.result = [pa, pb, { ...source, sa: 1 }, { ma() { return 1; } }.ma(), { get ga() { return 1; } }.ga, { ["c" + 1]: 1 },
        Object.getPrototypeOf({ __proto__: null, pr: 1 }), String({ toString: () => "t" }), new K().f, d(), loop, [1, 2].map((x) => ({ perElement: x }))];`;
    const { text } = literalsAsStores(program(body));
    for (const k of kept) expect(text).toContain(k);
    expect(text).toContain('for (const { fo } of');
    // in a loop, and in a function passed to an array method: stores, not dictionaries
    expect(text).toMatch(/\((\w\w)=\{\},\1\.inLoop=i,\1\)/);
    expect(text).toMatch(/\((\w\w)=\{\},\1\.perElement=x,\1\)/);
    expect(shape(run(text))).toEqual(shape(run(program(body))));
  });

  it('makes dictionaries of the literals of a shape of their own in code that runs once, and stores of the others', () => {
    const body = `
      const table = { ta: 1, tb: 'two', tc: [3], td: { te: 4, tf: 5, tg: 6 } }; // once, its own keys
      const pair = { pa: 1, pb: 2 }; // too few keys
      const r1 = { ra: 1, rb: 2, rc: 3 }, r2 = { ra: 4, rb: 5, rc: 6 }; // a shape two literals share
      function made(x) { return { ma: x, mb: x, mc: x }; } // not once
      const looped = []; for (let i = 0; i < 2; i++) looped.push({ la: i, lb: i, lc: i }); // made more than once
      exports.result = [table, pair, r1, r2, made(7), looped];`;
    const { text, dictionaries } = literalsAsStores(program(body));
    expect(dictionaries).toBe(2); // table and table.td
    expect(text).toMatch(/\((\w\w)=Object\.create\(null\),\1\.ta=1,\1\.tb='two',/);
    expect(text).toMatch(/Object\.setPrototypeOf\((\w\w),Object\.prototype\)\);/);
    expect(text).toMatch(/\((\w\w)=\{\},\1\.pa=1,\1\.pb=2,\1\)/);
    expect(text).toMatch(/\((\w\w)=\{\},\1\.ra=1,/);
    expect(text).toMatch(/\((\w\w)=\{\},\1\.ma=x,/);
    expect(text).toMatch(/\((\w\w)=\{\},\1\.la=i,/);
    expect(shape(run(text))).toEqual(shape(run(program(body))));
  });

  it("counts esbuild's module initializers as code that runs once, minified or not", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-literal-stores-'));
    try {
      // A module imported dynamically is started by esbuild's initializer helper, at its first use.
      fs.writeFileSync(path.join(dir, 'lazy.js'), 'export const table = { la: 1, lb: 2, lc: 3 };\n');
      fs.writeFileSync(path.join(dir, 'main.js'), 'export const get = () => import("./lazy.js");\n');
      for (const minify of [true, false]) {
        const r = await build({
          entryPoints: [path.join(dir, 'main.js')],
          bundle: true,
          format: 'cjs',
          platform: 'node',
          minify,
          write: false,
          logLevel: 'silent',
        });
        const text = `(function (exports, require, module) {${r.outputFiles[0].text}\n})`;
        expect(moduleInitializer(text)).toBeDefined();
        const out = literalsAsStores(text);
        expect(out.dictionaries).toBe(1);
        const m = { exports: {} as { get: () => Promise<{ table: object }> } };
        (runInThisContext(out.text) as (e: object, r: NodeRequire, m: object) => void)(m.exports, require, m);
        const { table } = await m.exports.get();
        expect(shape(table)).toEqual(shape({ la: 1, lb: 2, lc: 3 }));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes no dictionary in a program that binds a name Object of its own', () => {
    const { text, dictionaries } = literalsAsStores(program('const Object = globalThis.Object; exports.result = { oa: 1, ob: 2, oc: 3 };'));
    expect(dictionaries).toBe(0);
    expect(run(text)).toEqual({ oa: 1, ob: 2, oc: 3 });
  });

  it('refuses to write a program that does not compile', () => {
    expect(() => literalsAsStores('(function () { return { a: 1 }; )')).toThrow(SyntaxError);
  });
});
