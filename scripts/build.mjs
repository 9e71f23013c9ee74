// `npm run build`: the two bundles that ship, each runnable by Node 20 with no node_modules.
//
//   dist/kindling.cjs       the CLI, every command. Each command is its own program, in
//                           dist/kindling/<command>.js, compiled only when that command runs.
//   dist/kindling-boot.cjs  `kindling boot` and the kargs helper, for an initramfs: one file.
//
// Each bundle is scripts/start.cjs, which compiles the loader (scripts/loader.cjs), followed by
// the loader and its programs: esbuild bundles (CommonJS, minified) that the loader compiles
// through vm.Script. Each of them has a V8 code cache recorded here by running them
// (dist/<bundle>.cache, or dist/kindling/<name>.cache). scripts/loader.cjs says why. Our programs
// and the loader have their object literals rewritten as stores (scripts/literal-stores.mjs).
// `npm run bench` measures the sizes and cold starts; bench/budgets.json holds the size budgets.
import { build, transform } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { literalsAsStores } from './literal-stores.mjs';

const require = createRequire(import.meta.url);
const DIST = 'dist';

/**
 * Built-in modules the programs receive as lazy views, loaded at first use. Each exports a plain
 * object; those that export a function (assert, events, stream) are always loaded as they are.
 * The view knows the names a module exports (from this Node), so that esbuild's copy of a
 * namespace import (`import * as os`) can be made without loading the module.
 */
const LAZY_BUILTINS = [
  'async_hooks',
  'child_process',
  'crypto',
  'dgram',
  'diagnostics_channel',
  'dns',
  'dns/promises',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'perf_hooks',
  'querystring',
  'readline',
  'stream/promises',
  'stream/web',
  'timers/promises',
  'tls',
  'util/types',
  'v8',
  'worker_threads',
  'zlib',
];
const lazyBuiltins = {};
for (const id of LAZY_BUILTINS) {
  const mod = require(`node:${id}`);
  if (typeof mod !== 'object' || Object.getPrototypeOf(mod) !== Object.prototype || Object.getOwnPropertySymbols(mod).length) {
    throw new Error(`build: node:${id} does not export a plain object; it cannot be a lazy view`);
  }
  lazyBuiltins[id] = Object.getOwnPropertyNames(mod).join(',');
}

/**
 * Programs whose code cache has an entry per kind of run (scripts/loader.cjs): the one that runs the
 * boot stages, in each bundle, an entry per stage; the commands that read either config format, an
 * entry for Ignition JSON beside the plain one (Butane).
 */
const STAGE_CACHES = { cacheBy: 'stage' };
const INPUT_CACHES = { cacheBy: 'input' };
/**
 * The program that runs the boot stages gets node:fs with its synchronous writes made through
 * Node's bindings (scripts/loader.cjs, nativeFs): that view costs the others more than they save.
 */
const BOOT_STAGES = { ...STAGE_CACHES, nativeFs: true };

const ESBUILD = {
  bundle: true,
  write: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Smaller text is faster to load. Names are not kept (keepNames): that costs a defineProperty
  // per function and class at every start (257 in the transpile program, 580 in a boot stage:
  // 4 % of a cold transpile's instructions). Errors carry their own names (this.name = ...), and
  // an internal error's stack still gives each frame's program, line and column.
  minify: true,
  logLevel: 'warning',
  // A name imported from a module that does not export it (e.g. \`import * as fs\` of a shared
  // built-in, which exports only its default) would be undefined at run time: fail the build.
  logOverride: { 'import-is-undefined': 'error' },
};
// Inside a program, modules import each other statically. esbuild wraps every module reachable from
// an import() (and every module those import) in a lazy initializer, which costs a cold start a
// few thousand instructions (plan's 75: 0.1-0.4 M, against 2-3 M that a JSON config saves by not
// starting the transpiler). What a command does not need at all is a program of its own, loaded
// by the loader; src/input/load.ts keeps the one import() that pays for itself.

/**
 * Packages that are programs of their own, loaded at their first use, with the file each program is
 * built from: yaml (the full YAML parser: the fast reader in transpiler/yaml reads the common
 * Butane config, so the package is only needed for the rest and for errors). A third of the
 * transpile program was yaml, compiled on every run that never used it.
 */
const SHARED_PROGRAMS = { yaml: require.resolve('yaml') };

/**
 * Where a program ends and another begins: each package of SHARED_PROGRAMS, and the modules that
 * a file of `splits` imports dynamically (`{ from, only }`: all of them, or those named in `only`).
 * They become `require("kindling:<name>")`, which the loader resolves.
 */
function programBoundaries(splits, found) {
  return {
    name: 'kindling-programs',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${Object.keys(SHARED_PROGRAMS).join('|')})$`) }, (a) => ({ path: `kindling:${a.path}`, external: true }));
      if (!splits.length) return;
      // A dynamic import of an external stays import() in esbuild's output, which vm.Script cannot
      // run; a dynamic import of this stub module becomes a lazy require of the program.
      b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (a) => {
        const name = path.basename(a.path, '.js');
        const split = splits.find((sp) => a.importer === path.resolve(sp.from) && (!sp.only || sp.only.includes(name)));
        if (a.kind !== 'dynamic-import' || !split) return undefined;
        found.set(name, path.join(path.dirname(split.from), `${name}.ts`));
        return { path: name, namespace: 'kindling-program' };
      });
      b.onLoad({ filter: /.*/, namespace: 'kindling-program' }, (a) => ({ contents: `module.exports = require("kindling:${a.path}");` }));
      b.onResolve({ filter: /^kindling:/ }, (a) => ({ path: a.path, external: true }));
    },
  };
}

/**
 * Built-in modules our code imports as a whole, always as a default import (\`import path from
 * 'node:path'\`), which each program gets from one small ES module per built-in that exports
 * Node's module object itself. A default or namespace import of an external CommonJS module makes
 * esbuild copy its exports into a fresh object, getter by getter, at start-up: 104 for node:fs,
 * once per importing module before these shared modules existed, and once per program with them
 * while they re-exported every name (about 1 M instructions of a cold command); 61 for the network
 * modules of every boot stage. A named import of these modules fails the build (logOverride
 * above). Other built-ins are imported by name, which esbuild reads from the module as it is.
 */
const SHARED_NAMESPACES = ['node:fs', 'node:os', 'node:path', 'node:http', 'node:https', 'node:tls', 'node:net', 'node:dgram'];

function sharedBuiltins() {
  return {
    name: 'kindling-shared-builtins',
    setup(b) {
      const filter = new RegExp(`^(${SHARED_NAMESPACES.join('|')})$`);
      b.onResolve({ filter }, (a) => {
        if (a.namespace === 'kindling-builtin' || !/\.ts$/.test(a.importer)) return undefined;
        return { path: a.path, namespace: 'kindling-builtin' };
      });
      b.onLoad({ filter: /.*/, namespace: 'kindling-builtin' }, (a) => ({
        contents: `export default require(${JSON.stringify(a.path)});`,
        loader: 'js',
      }));
      b.onResolve({ filter, namespace: 'kindling-builtin' }, (a) => ({ path: a.path, external: true }));
      // `await import('node:stream')` (a module loaded at first use): esbuild keeps import() of an
      // external, which vm.Script cannot run; a require of it in a module of the bundle is loaded
      // when the promise is taken.
      b.onResolve({ filter: /^node:/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, namespace: 'kindling-builtin-later' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'kindling-builtin-later' }, (a) => ({
        contents: `module.exports = require(${JSON.stringify(a.path)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Tables of plain data, by module and name (a top-level `const`), that the programs build with
 * JSON.parse instead of the object literal of their source. V8 runs a literal's code once, at a
 * cold start, each nested object through the runtime; it parses the same data as JSON several times
 * faster (the Ignition model's 32 objects: 3.3 M instructions as a literal, 1.9 M as JSON; Butane's
 * sugar and network tables: 0.5 M less for transpile, and the network tables are now made at their
 * first use instead, in transpiler/butane/network-fields.ts). The source stays the literal; the
 * build evaluates the module and checks that JSON carries the value whole.
 *
 * Their descriptions (a string `desc`) stay out: only the build reads them (the schemas and docs
 * of scripts/artifacts.ts), and every program would parse them at every start (the model: 14.7 KB
 * of JSON with them, 7.6 KB without).
 *
 * A table marked `entries` is parsed an entry at a time, at its first use: the table becomes an
 * object literal of each entry's JSON text (storedText), which the module reads through
 * src/model/entries.ts. A boot stage on a config with no sections parses 2 of the model's 32 objects.
 */
const JSON_DATA = {
  'src/model/spec.ts': { OBJECTS: 'entries' },
  'transpiler/butane/model.ts': { SUGAR: 'entries', SUGAR_OBJECTS: 'entries' },
};

/** The exports of a TypeScript module's text (bundled with its imports), run in this process. */
async function evaluate(text, file) {
  const stdin = { contents: text, loader: 'ts', resolveDir: path.dirname(file), sourcefile: file };
  const r = await build({ stdin, bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'warning' });
  const m = { exports: {} };
  new Function('module', 'exports', 'require', r.outputFiles[0].text)(m, m.exports, require);
  return m.exports;
}

function dataAsJson() {
  const modules = new Map(Object.entries(JSON_DATA).map(([file, tables]) => [path.resolve(file), tables]));
  const rewritten = new Map(); // module -> its rewritten text (a promise), made once per build
  return {
    name: 'kindling-data-as-json',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (a) => {
        const tables = modules.get(a.path);
        if (!tables) return undefined;
        if (!rewritten.has(a.path)) rewritten.set(a.path, rewrite(a.path, tables));
        return { contents: await rewritten.get(a.path), loader: 'ts' };
      });
    },
  };
}

/**
 * A JSON.stringify replacer: a string under the key `desc` is a description (see JSON_DATA), and
 * an object under the key `fields` (the model's fields of an object, by name) is written as its
 * [name, field] pairs. JSON.parse makes a hidden class for each new set of names, one runtime call
 * a name, where an array costs nothing of the kind: the 16 objects of a config with files, users
 * and units parse in 0.5 M instructions instead of 1.1 M (measured alone). src/model/spec.ts reads
 * them into a Map.
 */
const asStored = (key, value) => {
  if (key === 'desc' && typeof value === 'string') return undefined;
  if (key === 'fields' && value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  return value;
};

/** What JSON.parse of a table's rewritten text gives: the value, or its entries as JSON text. */
function stored(value, how) {
  const json = (v) => JSON.stringify(v, asStored);
  if (how === 'entries') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, json(v)]));
  const text = json(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * The text that makes a table's stored value (`stored`): JSON.parse of its JSON, or for a table
 * of entries an object literal of their JSON texts. JSON.parse would give the table a hidden class
 * of its own, one for each of its names (the model's 32 objects: 33 of them); the literal, made
 * once at a module's start with names no other literal has, is made a dictionary by the literal
 * pass (scripts/literal-stores.mjs).
 */
function storedText(s, how) {
  if (how !== 'entries') return `JSON.parse(${JSON.stringify(JSON.stringify(s))})`;
  return `{${Object.entries(s)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/**
 * `file`'s text with each of `tables` (a top-level object literal, by name) as its stored value,
 * whole or as entries (JSON_DATA).
 */
async function rewrite(file, tables) {
  const names = Object.keys(tables);
  const source = fs.readFileSync(file, 'utf8');
  // Evaluated with each table exported under a name of its own, whether the module exports it or not.
  const probe = (text) => evaluate(`${text}\nexport { ${names.map((n) => `${n} as __data_${n}`).join(', ')} };\n`, file);
  const before = await probe(source);
  let text = source;
  const keptBy = new Map();
  for (const name of names) {
    const value = before[`__data_${name}`];
    const kept = value === undefined ? undefined : stored(value, tables[name]);
    keptBy.set(name, kept);
    if (JSON.stringify(kept) === undefined) throw new Error(`build: ${file}: ${name} holds what JSON cannot carry`);
    // From the declaration's `= ` to the literal's closing `};` at the start of a line.
    const decl = new RegExp(`^(?:export )?const ${name}\\b[^=\\n]*= (?=\\{\\n)`, 'm').exec(text);
    const end = decl && text.indexOf('\n};\n', decl.index);
    if (!decl || end < 0) throw new Error(`build: ${file}: no \`const ${name} = {...};\` literal found`);
    text = `${text.slice(0, decl.index + decl[0].length)}${storedText(kept, tables[name])};${text.slice(end + 3)}`;
  }
  // The module as rewritten must export the same names, and the same data under these: this also
  // catches a value JSON does not carry whole (a Map, a function, an undefined field).
  const after = await probe(text);
  const same =
    Object.keys(after).join() === Object.keys(before).join() &&
    Object.keys(before).every((n) => !n.startsWith('__data_') || isDeepStrictEqual(after[n], keptBy.get(n.slice(7))));
  if (!same)
    throw new Error(
      `build: ${file}: the module rewritten with ${names.join(', ')} as stored data is not the same module (a value JSON cannot carry, or a literal cut wrong)`,
    );
  return text;
}

/** One program, bundled; `ours` is false for the SHARED_PROGRAMS, which keep their literals as their authors wrote them. */
async function bundleProgram(entry, splits = [], ours = true) {
  const found = new Map();
  const r = await build({ ...ESBUILD, entryPoints: [entry], plugins: [programBoundaries(splits, found), sharedBuiltins(), dataAsJson()] });
  const text = asFunction(r.outputFiles[0].text);
  return { text: asciiOnly(ours ? literalsAsStores(text).text : text), split: found };
}

/**
 * A program as the function expression the loader compiles and calls, stored so: wrapping it at
 * run time would make V8 copy the whole text (a young large string of 200-500 KB, enough to bring
 * on a garbage collection in a cold run).
 */
function asFunction(text) {
  return `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
}

/**
 * esbuild escapes every non-ASCII character in code, not in the licence comments it keeps. One
 * such character costs Node's read of a bundle its fast path (ASCII) for the whole file.
 */
function asciiOnly(text) {
  return text.replace(/[^\0-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);
}

/**
 * All programs of a bundle: its entry, what each program splits off (programBoundaries: `splits`
 * for the entry, `within[name]` for the program `name`), and the SHARED_PROGRAMS.
 */
async function programsOf(entry, splits, within = {}) {
  const programs = new Map();
  const queue = [['main', entry, splits]];
  for (const [name, file, its] of queue) {
    if (programs.has(name)) continue;
    const p = await bundleProgram(file, its);
    programs.set(name, p.text);
    for (const [next, nextFile] of p.split) queue.push([next, nextFile, within[next] ?? []]);
  }
  for (const [pkg, file] of Object.entries(SHARED_PROGRAMS)) programs.set(pkg, (await bundleProgram(file, [], false)).text);
  return programs;
}

/** The Butane transpiler of a program that reads configs at first boot: a program of its own (src/input/load.ts). */
const BUTANE_APART = [{ from: 'src/input/load.ts', only: ['load-butane'] }];

const loaderSource = fs.readFileSync(new URL('./loader.cjs', import.meta.url), 'utf8');
const startSource = fs.readFileSync(new URL('./start.cjs', import.meta.url), 'utf8');

/** The loader with its manifest, as the function scripts/start.cjs compiles and calls; minified, for it is read at every start. */
async function loaderWith(manifest) {
  const marker = 'const PROGRAMS = null; // replaced by the build';
  if (!loaderSource.includes(marker)) throw new Error('build: scripts/loader.cjs lost its PROGRAMS line');
  const { programs, snapshot, ...rest } = manifest;
  // The tables keyed by name are Maps, not objects: an object literal gives V8 a hidden class per
  // key (about 50 at every start, with their descriptor arrays). The warm-up spec, used only to
  // build a startup snapshot, stays a string until then.
  const entries = (o) => JSON.stringify(Object.entries(o));
  const value = `{${JSON.stringify(rest).slice(1, -1)}, lazy: new Map(${entries(lazyBuiltins)}), programs: new Map(${entries(programs)})${
    snapshot ? `, snapshot: ${JSON.stringify(JSON.stringify(snapshot))}` : ''
  }}`;
  const text = loaderSource.replace(marker, `const PROGRAMS = ${value};`);
  const wrapped = `(function (require, __filename, __dirname, LOADER_SCRIPT, LOADER_CACHED, PROGRAMS_AT, NATIVE) {${text}\n})`;
  const loader = (await transform(wrapped, { minifyWhitespace: true, minifyIdentifiers: true, loader: 'js', logLevel: 'warning' })).code;
  return asciiOnly(literalsAsStores(loader).text);
}

/**
 * The Node whose fs and contextify bindings the bundles call directly (scripts/start.cjs): this
 * one, unless the check after writing them (bindingsWork) finds that the calls do not work here.
 */
let nativeNode = process.version;

/** What Node runs of a bundle: scripts/start.cjs, told where the loader and its cache are. */
function startWith(start, about) {
  const header = `#!/usr/bin/env node\n// ${about} Generated by scripts/build.mjs from src/ and transpiler/.\n`;
  const marker = "const START = null; // replaced by the build: where the loader's text and its cache entry are";
  if (!startSource.includes(marker)) throw new Error('build: scripts/start.cjs lost its START line');
  return header + startSource.replace(marker, `const START = ${JSON.stringify({ ...start, node: nativeNode })};`);
}

/** The CLI: scripts/start.cjs in dist/NAME.cjs, the loader and each program with its cache in dist/NAME/. */
async function writeSplit(name, programs, about, options = {}) {
  fs.rmSync(path.join(DIST, name), { recursive: true, force: true });
  fs.mkdirSync(path.join(DIST, name), { recursive: true });
  const manifest = { main: 'main', loaderCache: `${name}/loader.cache`, programs: {} };
  for (const [prog, text] of programs) {
    fs.writeFileSync(path.join(DIST, name, `${prog}.js`), text);
    // The length lets the loader read a program in one call (scripts/loader.cjs, programText).
    manifest.programs[prog] = { file: `${name}/${prog}.js`, length: Buffer.byteLength(text), cache: `${name}/${prog}.cache`, ...options[prog] };
  }
  fs.writeFileSync(path.join(DIST, name, 'loader.js'), await loaderWith(manifest));
  fs.writeFileSync(path.join(DIST, `${name}.cjs`), startWith({ file: `${name}/loader.js`, cache: manifest.loaderCache }, about), { mode: 0o755 });
}

/**
 * The boot bundle: one file. The loader and the programs follow scripts/start.cjs in one comment,
 * which Node skips about ten times faster than it reads a string literal, but still byte by byte
 * at every start (about 7 instructions a byte). The `packed` programs, which a boot stage loads
 * only for an unusual input (load-butane: a Butane config at first boot; yaml: one the fast reader
 * leaves), are stored deflated and in base64, a third of their size, and inflated when loaded.
 */
async function writeInline(name, programs, about, { extra = {}, options = {}, packed = [] } = {}) {
  const marker = '\n/*KINDLING-PROGRAMS\n';
  const cache = `${name}.cache`;
  const manifest = { main: 'main', loaderCache: cache, inline: true, programs: {}, ...extra };
  const tail = Buffer.from('\n*/\n');
  for (const prog of packed) if (!programs.has(prog)) throw new Error(`build: no program ${prog} to pack`);
  const stored = [...programs].map(([prog, text]) =>
    packed.includes(prog) ? [prog, ...pack(text), true] : [prog, ...inComment(text, `program ${prog}`), false],
  );
  // Each part is found by its position (a reader reads only its part): the loader's in the file,
  // a program's after the loader's end (which scripts/start.cjs hands the loader).
  let offset = 0;
  for (const [prog, b, slashes, isPacked] of stored) {
    manifest.programs[prog] = { offset, length: b.length, slashes, cache, ...(isPacked && { packed: true }), ...options[prog] };
    offset += b.length;
  }
  const [loader, slashes] = inComment(await loaderWith(manifest), 'the loader');
  // The loader starts after the header, whose length depends on the position written in it.
  let head;
  for (let at = 0; ; at = Buffer.byteLength(head)) {
    head = startWith({ at, length: loader.length, slashes, cache }, about) + marker;
    if (Buffer.byteLength(head) === at) break;
  }
  const file = Buffer.concat([Buffer.from(head), loader, ...stored.map(([, b]) => b), tail]);
  fs.writeFileSync(path.join(DIST, `${name}.cjs`), file, { mode: 0o755 });

  /**
   * A text as the comment can hold it: the `/` of each `*` `/` (a regular expression ending in `*`,
   * an Accept header's `*` `/` `*`) becomes a space, and its position is kept for the reader to put
   * it back in the bytes it reads, before it makes them a string (a replace on the string would
   * copy a 300 KB text at every start).
   */
  function inComment(text, what) {
    if (text.includes(marker)) throw new Error(`build: ${what} holds the bundle's own marker`);
    const b = Buffer.from(text, 'latin1');
    const slashes = [];
    for (let i = b.indexOf('*/'); i >= 0; i = b.indexOf('*/', i + 1)) {
      b[i + 1] = 0x20;
      slashes.push(i + 1);
    }
    return [b, slashes];
  }

  /** A text deflated, in base64: no `*` in it, so nothing for the reader to put back. */
  function pack(text) {
    return [Buffer.from(deflateRawSync(Buffer.from(text, 'latin1'), { level: 9 }).toString('base64'), 'latin1'), []];
  }
}

/** The flags of one boot stage whose files (root, cache, neednet, state, report) live under `dir`. */
function stageFlags(platform, stage, dir) {
  const f = (name) => path.join(dir, name);
  return [
    '--platform',
    platform,
    '--stage',
    stage,
    '--root',
    f('root'),
    '--config-cache',
    f('config.json'),
    '--neednet',
    f('neednet'),
    '--state-file',
    f('state'),
    '--failure-report',
    f('failure.json'),
    '--log-to-stdout',
  ];
}

/**
 * What `node --snapshot-blob kindling-boot.blob --build-snapshot kindling-boot.cjs` runs before
 * Node writes the heap (scripts/loader.cjs): every stage once, on a config with files,
 * directories, links and units, in a scratch directory, so that the snapshot holds their code
 * compiled. (Fetching over HTTP cannot be part of a snapshot.) The build does not make the blob:
 * V8 refuses a snapshot on a CPU whose features differ from those of the machine that built it,
 * so it is made where it runs (README, "The boot bundle").
 */
const BOOT_WARM_UP = (() => {
  const config = {
    ignition: { version: '3.5.0' },
    storage: {
      files: [
        { path: '/etc/hostname', mode: 420, contents: { source: 'data:,node1' } },
        { path: '/etc/motd', contents: { source: 'data:;base64,aGkK' }, overwrite: true },
      ],
      directories: [{ path: '/var/lib/app', mode: 488 }],
      links: [{ path: '/etc/localtime', target: '../usr/share/zoneinfo/UTC' }],
    },
    systemd: {
      units: [
        {
          name: 'app.service',
          enabled: true,
          contents: '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n',
          dropins: [{ name: '10-env.conf', contents: '[Service]\nEnvironment=A=1\n' }],
        },
      ],
    },
  };
  const sys = '$DIR/sys';
  const stage = (s) => stageFlags('file', s, '$DIR');
  return {
    files: { 'config.ign': JSON.stringify(config), cmdline: '', 'sys/': '', 'root/': '' },
    env: {
      IGNITION_CONFIG_FILE: '$DIR/config.ign',
      IGNITION_KERNEL_CMDLINE_PATH: '$DIR/cmdline',
      IGNITION_SYSTEM_CONFIG_DIR: sys,
      IGNITION_SYSTEM_RUNTIME_CONFIG_DIR: sys,
      IGNITION_SYSTEM_LOCAL_CONFIG_DIR: sys,
    },
    runs: ['fetch-offline', 'kargs', 'disks', 'mount', 'files', 'umount'].map(stage),
  };
})();

/** A failure report as a first boot writes it (src/engine/failure.ts), for `kindling failure`. */
const FAILURE_REPORT = {
  stage: 'files',
  message: 'failed to create files: resource fetch failed: https://example.com/app.tar: 404 Not Found',
  operation: 'writing file "/opt/app.tar"',
  configPath: 'storage.files.0.contents.source',
  yaml: 'config.bu:12:9',
  url: 'https://example.com/app.tar',
  hint: 'check that the URL serves the file',
  time: '2026-01-01T00:00:00.000Z',
};

fs.mkdirSync(DIST, { recursive: true });
for (const stale of ['kindling.cjs.map', 'kindling.cache', 'kindling-boot.cache', 'kindling-boot.blob']) fs.rmSync(path.join(DIST, stale), { force: true });

// `kindling boot` too keeps the transpiler apart: a first boot rarely gets Butane YAML.
const cliPrograms = await programsOf('src/cli/main.ts', [{ from: 'src/cli/main.ts' }], { boot: BUTANE_APART });
// The boot bundle keeps the Butane transpiler (a third of its stages' program) apart, packed: a
// first boot rarely gets YAML, and every start has Node read and scan the whole file.
const bootPrograms = await programsOf('src/cli/boot-entry.ts', BUTANE_APART);

/** Both bundles, from the programs above (written again only if the bindings check fails). */
async function writeBundles() {
  await writeSplit('kindling', cliPrograms, 'Kindling CLI.', { boot: BOOT_STAGES, validate: INPUT_CACHES, apply: INPUT_CACHES });
  await writeInline('kindling-boot', bootPrograms, 'Kindling boot: `kindling boot` and the kargs helper, as `ignition` and `ignition-kargs-helper`.', {
    extra: { snapshot: BOOT_WARM_UP },
    options: { main: BOOT_STAGES },
    packed: ['yaml', 'load-butane'],
  });
}

/**
 * Whether both bundles start and print through Node's bindings on this Node, and the CLI looks at
 * paths through them (stat and lstat: a dry run of the files stage on an empty root): the bindings'
 * arguments are Node's internals, and a call that does not match them can abort the process.
 * (Without the options that make the start-up leave them alone: they say nothing of this Node.)
 */
function bindingsWork() {
  const { NODE_OPTIONS, NODE_PENDING_DEPRECATION, ...env } = process.env;
  const native = (argv, input) => {
    const r = spawnSync(process.execPath, argv, { env: { ...env, KINDLING_TRACE_LOAD: '1' }, encoding: 'utf8', input });
    return r.status === 0 && r.stderr.includes("kindling: loader: Node's fs and contextify bindings") ? r.stdout : undefined;
  };
  const started = ['kindling.cjs', 'kindling-boot.cjs'].every((bundle) => /^kindling \S+\n$/i.test(native([path.join(DIST, bundle), '--version']) ?? ''));
  if (!started) return false;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-build-root-'));
  try {
    const config = '{"ignition":{"version":"3.4.0"},"storage":{"files":[{"path":"/etc/a","contents":{"source":"data:,a"}}]}}';
    const plan = native([path.join(DIST, 'kindling.cjs'), 'apply', '--dry-run', '--root', root, '-'], config);
    return plan?.includes('write /etc/a from data:') ?? false;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await writeBundles();
if (!bindingsWork()) {
  console.warn(`build: Node ${process.version}'s fs and contextify bindings do not work as scripts/start.cjs calls them; the bundles use the public functions`);
  nativeNode = null;
  await writeBundles();
}
await recordCodeCaches();

/**
 * Runs each program the way it is used, with the loader writing the V8 code cache of every
 * program it compiled. What a run executes is what its cache holds compiled, so the runs cover
 * the common paths: Butane in, validation, the boot stages with a config fetched over HTTP.
 */
async function recordCodeCaches() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-build-'));
  const config = fs.readFileSync('examples/webserver.ign');
  const server = http.createServer((req, res) => res.end(req.url === '/config.ign' ? config : ''));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/config.ign`;
  fs.writeFileSync(path.join(tmp, 'cmdline'), `ignition.config.url=${url}\n`);
  // apply needs the root's account database for the example's users.
  fs.mkdirSync(path.join(tmp, 'apply/etc'), { recursive: true });
  for (const f of ['passwd', 'group', 'shadow', 'gshadow']) fs.writeFileSync(path.join(tmp, 'apply/etc', f), '');
  fs.mkdirSync(path.join(tmp, 'bu/root'), { recursive: true });
  // The boot stages record an entry each (scripts/loader.cjs). fetch records a config fetched over
  // HTTP (platform metal, after a fetch-offline that finds the URL and asks for the network); then
  // every stage runs on the warm-up config (platform file), so fetch-offline's entry is the one
  // that reads and checks a config.
  const net = { IGNITION_KERNEL_CMDLINE_PATH: path.join(tmp, 'cmdline') };
  const warm = path.join(tmp, 'warm');
  for (const [f, text] of Object.entries(BOOT_WARM_UP.files)) {
    fs.mkdirSync(path.join(warm, f.endsWith('/') ? f : path.dirname(f)), { recursive: true });
    if (!f.endsWith('/')) fs.writeFileSync(path.join(warm, f), text);
  }
  const inWarm = (v) => v.replaceAll('$DIR', warm);
  const warmEnv = Object.fromEntries(Object.entries(BOOT_WARM_UP.env).map(([k, v]) => [k, inWarm(v)]));
  const butane = { ...warmEnv, IGNITION_CONFIG_FILE: path.resolve('examples/webserver.bu') };
  const stages = [
    ...['fetch-offline', 'fetch'].map((stage) => [stageFlags('metal', stage, tmp), net]),
    ...BOOT_WARM_UP.runs.map((argv) => [argv.map(inWarm), warmEnv]),
  ];
  const apply = ['apply', '--dry-run', '--ignore-unsupported', '--root', path.join(tmp, 'apply')];
  // The loader's own entry is recorded by one run of each bundle: a command that loads programs,
  // built-in modules and prints.
  const withLoader = { KINDLING_RECORD_LOADER_CACHE: '1' };
  // The yaml program serves what the fast YAML reader leaves (CR line ends here). The run comes
  // before the plain transpile run, which records the transpile program's entry again.
  const crlf = path.join(tmp, 'webserver-crlf.bu');
  fs.writeFileSync(crlf, fs.readFileSync('examples/webserver.bu', 'utf8').replaceAll('\n', '\r\n'));
  const initrd = path.join(tmp, 'config.img');
  const report = path.join(tmp, 'failure.json');
  fs.writeFileSync(report, JSON.stringify(FAILURE_REPORT));
  const runs = [
    [['dist/kindling.cjs', 'transpile', crlf]],
    [['dist/kindling.cjs', 'plan', 'examples/webserver.bu']],
    [['dist/kindling.cjs', 'decompile', 'examples/webserver.ign']],
    // karg: a config that fits as it is (no gzip made), then one asked for gzipped.
    [['dist/kindling.cjs', 'karg', 'examples/data-disk.ign']],
    [['dist/kindling.cjs', 'karg', '--gzip', 'examples/webserver.ign']],
    [['dist/kindling.cjs', 'initrd', 'wrap', '-i', 'examples/webserver.ign', '-o', initrd]],
    [['dist/kindling.cjs', 'initrd', 'unwrap', initrd]],
    [['dist/kindling.cjs', 'failure', report]],
    [['dist/kindling.cjs', 'validate', 'examples/webserver.bu']],
    [['dist/kindling.cjs', 'validate', 'examples/webserver.ign']],
    [['dist/kindling.cjs', 'transpile', 'examples/webserver.bu'], withLoader],
    [['dist/kindling.cjs', 'lint', 'examples/webserver.bu']],
    [['dist/kindling.cjs', ...apply, 'examples/webserver.bu']],
    [['dist/kindling.cjs', ...apply, 'examples/webserver.ign']],
    [['dist/kindling.cjs', 'kargs-helper', '--help']],
    [['dist/kindling-boot.cjs', 'kargs-helper', '--help']],
    // Butane YAML at first boot: each bundle's transpiler program, before the runs that record the
    // stages' own entries.
    ...[['dist/kindling.cjs', 'boot'], ['dist/kindling-boot.cjs']].map((cmd) => [
      [...cmd, ...stageFlags('file', 'fetch-offline', path.join(tmp, 'bu'))],
      butane,
    ]),
    ...stages.map(([argv, env]) => [['dist/kindling.cjs', 'boot', ...argv], env]),
    ...stages.map(([argv, env]) => [['dist/kindling-boot.cjs', ...argv], argv.includes('files') ? { ...env, ...withLoader } : env]),
  ];
  try {
    for (const [argv, env] of runs) {
      // Each bundle's stages start from nothing: no state, and an empty root for the files stage.
      if (argv.includes('fetch-offline'))
        for (const dir of [tmp, warm]) {
          for (const f of ['config.json', 'neednet', 'state']) fs.rmSync(path.join(dir, f), { force: true });
          fs.rmSync(path.join(dir, 'root'), { recursive: true, force: true });
          fs.mkdirSync(path.join(dir, 'root'));
        }
      const r = await run(argv, { ...process.env, KINDLING_RECORD_CODE_CACHE: '1', ...env });
      if (r.status !== 0) console.warn(`build: warm-up run \`${argv.join(' ')}\` failed (${r.status}); the bundles work without a code cache\n${r.stderr}`);
    }
  } finally {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** spawnSync would block the loopback server this process runs. */
function run(argv, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}
