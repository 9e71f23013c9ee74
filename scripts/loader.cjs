// The start-up code of every bundle scripts/build.mjs writes, compiled and called by
// scripts/start.cjs with its own code cache, as a function of (require, __filename, __dirname,
// LOADER_SCRIPT, LOADER_CACHED, PROGRAMS_AT): the bundle's own require and place, the vm.Script of
// this text (to record its cache), whether that Script had a cache, and in the boot bundle where
// the programs begin (the end of the loader's part). The build puts the manifest in place of
// the PROGRAMS line below and the program texts either in files beside the bundle or in one comment
// at the end of it; each program is an esbuild CommonJS bundle, stored as a function expression of
// the five parameters of a CommonJS module (exports, require, module, ...).
//
// Why not plain JavaScript: Node compiles a script's whole text before running it, which for a
// 1 MB bundle costs about a third of Node's own start-up (and 30-40 times more under emulation).
// Here each program is compiled only when used, through vm.Script with a V8 code cache recorded
// by the build; V8 rejects a cache made by another Node, and the program is then compiled from its
// text: the same behaviour, only slower. Built-in modules that Node has not loaded yet are handed
// to the programs as lazy views, so that `require("node:http")` at the top of a module costs
// nothing until the first use of http. NATIVE: Node's fs and contextify bindings where
// scripts/start.cjs found them usable (it says why), else undefined and the public functions.
'use strict';
const PROGRAMS = null; // replaced by the build
const fs = require('node:fs');
const path = require('node:path');
const EventEmitter = require('node:events');

/** Programs loaded so far, by name: their module (and their Script when recording the cache). */
const loaded = new Map();
/** KINDLING_TRACE_LOAD=1: each program's compile and start times, and when a lazy module loads. */
let trace = false;
/** This bundle. A process started from a startup snapshot learns it from its command line. */
let bundle = __filename;
const cacheIndexes = new Map(); // cache file -> Map(program name -> [position, length])
/** The loader's own Script, kept only by the run that records its cache (a snapshot cannot hold one). */
const loaderScript = process.env.KINDLING_RECORD_LOADER_CACHE ? LOADER_SCRIPT : undefined;

/**
 * Buffer's own methods are JavaScript of Node's that is compiled from its source at its first call,
 * about 90 thousand instructions each (Buffer.allocUnsafe, subarray, indexOf and toString took nine
 * such functions): the start-up reads bytes into plain Uint8Arrays, whose methods are V8's, turns
 * them into text with Buffer's native latin1Slice, and joins paths by hand (path.join is another two).
 */
const latin1 = (bytes, start, end) => Buffer.prototype.latin1Slice.call(bytes, start, end);
/**
 * What a stream write of `chunk` puts out: a string in UTF-8 through Buffer's native writer, into a
 * plain Uint8Array (Buffer.from is more of Node's functions to compile, src/host/utf8.ts).
 */
function bytesOf(chunk, encoding) {
  if (typeof chunk !== 'string') return chunk;
  if (encoding && encoding !== 'utf8' && encoding !== 'utf-8') return Buffer.from(chunk, encoding);
  const out = new Uint8Array(chunk.length * 3); // at most three bytes a UTF-16 unit
  return out.subarray(0, Buffer.prototype.utf8Write.call(out, chunk, 0, out.length));
}
/** The directory of this bundle, where its programs and caches are. */
const here = () => path.dirname(bundle);

/**
 * Opening, reading and closing a file, and what is at a path (src/host/reader.ts), through Node's
 * bindings where scripts/start.cjs found them usable: the programs are handed it too (prepare).
 * The lstat and stat bindings fill one shared array, read at once here; a path with a NUL in it
 * goes to node:fs, which refuses it (the binding would cut the path short). Without the bindings
 * the programs keep src/host/reader.ts's own, node:fs's functions, as this reader's would be.
 */
const statFields = (a) => a && { dev: a[0], mode: a[1], uid: a[3], gid: a[4], ino: a[7], size: a[8] };
const reader = NATIVE
  ? {
      open: (file) => NATIVE.fs.open(file, fs.constants.O_RDONLY, 0o666),
      read: (fd, into, offset, length, position) => NATIVE.fs.read(fd, into, offset, length, position ?? -1),
      close: (fd) => NATIVE.fs.close(fd),
      lstat: (file) => (file.includes('\0') ? fs.lstatSync(file) : statFields(NATIVE.fs.lstat(file, false, undefined, false))),
      stat: (file) => (file.includes('\0') ? fs.statSync(file) : statFields(NATIVE.fs.stat(file, false, undefined, false))),
    }
  : {
      open: (file) => fs.openSync(file, 'r'),
      read: (fd, into, offset, length, position) => fs.readSync(fd, into, offset, length, position),
      close: (fd) => fs.closeSync(fd),
    };

/**
 * `length` bytes of `file` from `position` (fewer at its end), into `into` (at least `length` long)
 * or a new array.
 */
function readRange(file, position, length, into) {
  const fd = reader.open(file);
  try {
    const buf = into ? into.subarray(0, length) : new Uint8Array(length);
    let got = 0;
    for (let n; got < length && (n = reader.read(fd, buf, got, length - got, position + got)) > 0;) got += n;
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    reader.close(fd);
  }
}

/**
 * `length` bytes of `bytes` from `offset` (all the rest by default) written to descriptor `fd`: the
 * number written. The binding only reports an error, so the write is then tried again through
 * fs.writeSync, which throws the error as Node makes it (a write that met EAGAIN may go through
 * then, as the caller's retry would have).
 */
function writeBytes(fd, bytes, offset, length = bytes.length - offset) {
  if (!NATIVE) return fs.writeSync(fd, bytes, offset, length);
  const ctx = {};
  const n = NATIVE.fs.writeBuffer(fd, bytes, offset, length, null, undefined, ctx);
  return ctx.errno === undefined ? n : fs.writeSync(fd, bytes, offset, length);
}

/**
 * node:fs as the programs that ask for it (`nativeFs` in the manifest: the boot stages) get it. On
 * the Node whose bindings scripts/start.cjs checked, the synchronous calls that the boot stages
 * make at every run (writing files and their own state) go straight to the bindings, in the
 * argument forms handled here; any other form, and every other function (through the prototype),
 * is node:fs's own. (Making node:fs a prototype costs V8 about 0.3 M instructions, more than a
 * command that writes nothing saves.) Each of these node:fs functions is Node
 * JavaScript compiled from its source at its first call, with the validators behind it: 23
 * functions of a files stage. Errors are the bindings' own, which are Node's (a write's, which the
 * binding only reports, comes from fs.writeSync, through writeBytes). A path must be a string
 * without a NUL (the binding would cut it short), a descriptor and a mode whole numbers (the
 * binding aborts the process on another type); otherwise node:fs checks and refuses them.
 */
let programFs;
/** The require of a program with `nativeFs`. */
const nativeFsRequire = (id) => (id === 'node:fs' || id === 'fs' ? (programFs ??= nativeFs()) : programRequire(id));
function nativeFs() {
  const b = NATIVE.fs;
  const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_EXCL, O_APPEND } = fs.constants;
  const isPath = (p) => typeof p === 'string' && !p.includes('\0');
  const isFd = (fd) => typeof fd === 'number' && fd >>> 0 === fd && fd < 2 ** 31;
  const isMode = (m) => typeof m === 'number' && m >>> 0 === m;
  const openFlags = (f) => {
    if (f === undefined || f === 'r') return O_RDONLY;
    if (typeof f === 'number') return (f | 0) === f ? f : undefined;
    if (f === 'w') return O_TRUNC | O_CREAT | O_WRONLY;
    if (f === 'wx') return O_TRUNC | O_CREAT | O_WRONLY | O_EXCL;
    if (f === 'a') return O_APPEND | O_CREAT | O_WRONLY;
    return undefined;
  };
  const out = Object.create(fs);
  Object.assign(out, {
    openSync(p, flags, mode) {
      const f = openFlags(flags);
      if (isPath(p) && f !== undefined && (mode === undefined || isMode(mode))) return b.open(p, f, mode ?? 0o666);
      return fs.openSync(p, flags, mode);
    },
    closeSync(fd) {
      return isFd(fd) ? b.close(fd) : fs.closeSync(fd);
    },
    writeSync(fd, data, offset, length, position) {
      if (isFd(fd) && position == null) {
        if (typeof data === 'string' && offset === undefined && length === undefined) {
          const ctx = {};
          const n = b.writeString(fd, data, null, 'utf8', undefined, ctx);
          if (ctx.errno === undefined) return n;
        } else if (data instanceof Uint8Array && (offset === undefined || isFd(offset))) {
          const at = offset ?? 0;
          const len = length ?? data.byteLength - at;
          if (isFd(len) && at + len <= data.byteLength) return writeBytes(fd, data, at, len);
        }
      }
      return fs.writeSync(fd, data, offset, length, position);
    },
    fsyncSync(fd) {
      return isFd(fd) ? b.fsync(fd) : fs.fsyncSync(fd);
    },
    fchmodSync(fd, mode) {
      return isFd(fd) && isMode(mode) ? b.fchmod(fd, mode) : fs.fchmodSync(fd, mode);
    },
    chmodSync(p, mode) {
      return isPath(p) && isMode(mode) ? b.chmod(p, mode) : fs.chmodSync(p, mode);
    },
    renameSync(from, to) {
      return isPath(from) && isPath(to) ? b.rename(from, to) : fs.renameSync(from, to);
    },
    mkdirSync(p, options) {
      const o = typeof options === 'number' ? { mode: options } : options;
      const recursive = o?.recursive ?? false;
      const mode = o?.mode ?? 0o777;
      if (!isPath(p) || typeof recursive !== 'boolean' || !isMode(mode) || (o !== undefined && typeof o !== 'object')) return fs.mkdirSync(p, options);
      const made = b.mkdir(p, mode, recursive);
      return recursive ? made : undefined;
    },
    readdirSync(p, options) {
      return isPath(p) && options === undefined ? b.readdir(p, 'utf8', false) : fs.readdirSync(p, options);
    },
    existsSync(p) {
      return isPath(p) ? b.existsSync(p) : fs.existsSync(p);
    },
  });
  return out;
}

/**
 * A program's text compiled with its code cache (`cachedData`, or none): the Script and the
 * function expression it evaluates to. The runs that record the caches take vm.Script.
 */
function compile(text, filename, cachedData) {
  if (NATIVE && !process.env.KINDLING_RECORD_CODE_CACHE) {
    const script = new NATIVE.Script(text, filename, 0, 0, cachedData, false, undefined, Symbol(filename));
    return { script, fn: script.runInContext(null, -1, true, false, false) };
  }
  const script = new (require('node:vm').Script)(text, { filename, cachedData });
  return { script, fn: script.runInThisContext() };
}

/**
 * A program's text, read through `scratch`: the bytes serve only until V8 has copied them into the
 * string.
 */
function programText(name, scratch) {
  const p = PROGRAMS.programs.get(name);
  if (!PROGRAMS.inline) {
    // The programs are ASCII (the build made sure), so their bytes are their text. Read at the
    // length the build wrote: one read, and one that finds the end. (readFileSync reads 8 KiB at
    // a time into a growing buffer: 21 reads and 250 KB of copies for a 168 KB program.) A file of
    // another length than the build's is read whole, as UTF-8.
    const file = `${here()}/${p.file}`;
    const bytes = readRange(file, 0, p.length + 1, scratch);
    return bytes.length === p.length ? latin1(bytes) : fs.readFileSync(file, 'utf8');
  }
  // Only this program's part of the bundle, found from the loader's end without a stat of the file.
  const bytes = readRange(bundle, PROGRAMS_AT + p.offset, p.length, scratch);
  // A program the build packed (writeInline): deflated, in base64.
  if (p.packed) return latin1(require('node:zlib').inflateRawSync(Buffer.from(latin1(bytes), 'base64')));
  // The end of a comment cannot appear inside it: the build blanked the `/` of each (writeInline).
  for (const at of p.slashes) bytes[at] = 0x2f;
  return latin1(bytes);
}

/** A code cache file: a JSON line [[name, length], ...], then each program's cached data. */
function cacheIndex(head) {
  const out = new Map();
  const nl = head.indexOf(10);
  let at = nl + 1;
  for (const [name, length] of JSON.parse(latin1(head, 0, nl))) {
    out.set(name, [at, length]);
    at += length;
  }
  return out;
}

/** The whole cache file, for the build's recording runs and the CLI's commands (one entry per program). */
function readCacheFile(file) {
  const out = new Map();
  try {
    const buf = fs.readFileSync(file);
    for (const [name, [at, length]] of cacheIndex(buf)) out.set(name, buf.subarray(at, at + length));
  } catch {
    // no cache, or an unreadable one: compile from the text
  }
  return out;
}

function cacheFileOf(name) {
  return `${here()}/${PROGRAMS.programs.get(name).cache}`;
}

/**
 * Some programs have a cache entry per kind of run (manifest `cacheBy`), `NAME@KIND`, each recorded
 * by a run of that kind, because such runs execute different parts of the program: one entry for
 * all would make every run read and deserialize the code of the others (or, holding one kind's
 * code, leave the others to compile theirs from the text). Without an entry for the kind, the
 * program's plain entry. The kinds, from the command line:
 * - `stage`: the boot stage (`--stage files`): fetching, partitioning and writing files share little;
 * - `input`: `json` for an Ignition config (a FILE argument ending in .ign or .json), else the
 *   plain entry, recorded on Butane YAML, which adds the transpiler to the run.
 */
const runKinds = {
  stage: (argv) => {
    for (let i = 2; i < argv.length; i++) {
      const a = argv[i];
      const name = a.startsWith('--') ? a.slice(2) : a.startsWith('-') ? a.slice(1) : undefined;
      if (name === 'stage') return argv[i + 1];
      if (name?.startsWith('stage=')) return name.slice(6);
    }
    return undefined;
  },
  input: (argv) => (argv.slice(2).some(isJsonName) ? 'json' : undefined),
};
/** An Ignition config's file name: .ign or .json, in any case. (Both read by hand: a regular expression is compiled at its first use.) */
function isJsonName(arg) {
  const a = arg.toLowerCase();
  return a.endsWith('.ign') || a.endsWith('.json');
}
const kindOf = new Map();
function entryName(name) {
  const by = PROGRAMS.programs.get(name).cacheBy;
  if (!by) return name;
  if (!kindOf.has(by)) kindOf.set(by, runKinds[by](process.argv));
  const kind = kindOf.get(by);
  return kind ? `${name}@${kind}` : name;
}

/**
 * Where the cache entry of a program is (`file`, `at`, `length`): a cache file's index is read
 * first, then only the data of the entry used (load): the boot bundle's one
 * file holds every program's entries (a boot stage leaves the other stages' and the HTTP client's
 * unread), a file of entries by kind those of every kind, a CLI program's file its one entry (read
 * so too: a whole-file read would be another three of Node's functions to compile).
 */
function cacheEntry(name) {
  const file = cacheFileOf(name);
  try {
    if (!cacheIndexes.has(file)) {
      let head = readRange(file, 0, 4096);
      if (head.indexOf(10) < 0) head = fs.readFileSync(file);
      cacheIndexes.set(file, cacheIndex(head));
    }
    const index = cacheIndexes.get(file);
    // (A run that records an entry starts from that entry only, so that it holds what such runs use.)
    const wanted = entryName(name);
    const entry = index.has(wanted) || process.env.KINDLING_RECORD_CODE_CACHE ? wanted : name;
    const at = index.get(entry);
    return at && { entry, file, at: at[0], length: at[1] };
  } catch {
    return undefined; // no cache, or an unreadable one: compile from the text
  }
}

function load(name) {
  const done = loaded.get(name);
  if (done) return done.module.exports;
  const p = PROGRAMS.programs.get(name);
  const filename = `${here()}/${p.file ?? `${path.basename(bundle)}/${name}.js`}`;
  const t0 = trace && process.hrtime.bigint();
  // One buffer serves for the program's text and then its cache data: each page of a new buffer
  // costs the kernel a fault (about 2 us here), and the text is copied into a string first.
  const cache = cacheEntry(name);
  const scratch = new Uint8Array(Math.max(cache?.length ?? 0, p.length + 1));
  const text = programText(name, scratch);
  let data;
  try {
    data = cache && readRange(cache.file, cache.at, cache.length, scratch);
  } catch {
    // an unreadable cache: compile from the text
  }
  if (data?.length !== cache?.length) data = undefined; // a cut-short file: compile from the text
  const { script, fn } = compile(text, filename, data);
  const module = { exports: {} };
  // The Script only serves to record its cache; a startup snapshot cannot hold one.
  loaded.set(name, { script: process.env.KINDLING_RECORD_CODE_CACHE ? script : undefined, module });
  const t1 = trace && process.hrtime.bigint();
  fn(module.exports, p.nativeFs && NATIVE ? nativeFsRequire : programRequire, module, bundle, here());
  if (trace) {
    const ms = (a, b) => (Number(b - a) / 1e6).toFixed(2);
    const how = !data ? 'no code cache' : `code cache ${cache.entry}${script.cachedDataRejected ? ' REJECTED' : ''}`;
    fs.writeSync(2, `kindling: program ${name}: ${ms(t0, t1)} ms to compile (${how}), ${ms(t1, process.hrtime.bigint())} ms to start\n`);
  }
  return module.exports;
}

/**
 * A module loaded at its first use: esbuild's output requires every import when the importing
 * module starts, but reads the imported names only where they are used. `names` (a built-in
 * module's exports) lets esbuild copy a namespace import without loading the module.
 */
function lazyView(load, names) {
  let mod;
  const real = () => (mod ??= load());
  let keys;
  const own = () => (names ? (keys ??= names.split(',')) : Reflect.ownKeys(real()));
  return new Proxy(
    {},
    {
      get: (_, k) => real()[k],
      set: (_, k, v) => ((real()[k] = v), true),
      has: (_, k) => k in real(),
      ownKeys: () => own(),
      getOwnPropertyDescriptor: (_, k) => {
        if (names && !mod) return own().includes(k) ? { configurable: true, enumerable: true, get: () => real()[k] } : undefined;
        const d = Reflect.getOwnPropertyDescriptor(real(), k);
        return d && { ...d, configurable: true };
      },
      getPrototypeOf: () => (names ? Object.prototype : Reflect.getPrototypeOf(real())),
      defineProperty: (_, k, d) => Reflect.defineProperty(real(), k, d),
      deleteProperty: (_, k) => Reflect.deleteProperty(real(), k),
    },
  );
}

const views = new Map();
/** Node's own start-up loaded these already; a view of them would only add a step. */
const started = new Set(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)));

function programRequire(id) {
  if (views.has(id)) return views.get(id);
  let view;
  if (id.startsWith('kindling:')) view = lazyView(() => load(id.slice(9)));
  else {
    const bare = id.startsWith('node:') ? id.slice(5) : id;
    const names = PROGRAMS.lazy.get(bare);
    if (names === undefined || started.has(bare)) return require(id);
    view = lazyView(() => {
      if (trace) fs.writeSync(2, `kindling: loading node:${bare}${new Error().stack.split('\n').slice(3, 5).join('')}\n`);
      return require(id);
    }, names);
  }
  views.set(id, view);
  return view;
}

/**
 * process.stdout and process.stderr on a pipe, a socket or a file (a shell pipeline, the journal under
 * systemd). Node makes a net.Socket of them, which loads node:net and the stream machinery: a fifth
 * of Node's own start-up for a program that prints a line. This writer writes the descriptor
 * synchronously, as Node already does for a file, and has the part of a Writable that programs
 * use: write(chunk[, encoding][, callback]), end, the events. Writes are done, in order, when
 * write() returns; a failed write (EPIPE once the reader has gone) is an 'error' event on the next
 * tick, as on Node's own stream, and ends the writing. A file (`> out.ign`, /dev/null) gets it too:
 * Node's own stream for a file writes synchronously as well, but it is a stream.Writable and loads
 * the stream machinery (2 ms of a cold transpile). Terminals keep Node's streams.
 */
class DescriptorWriter extends EventEmitter {
  constructor(fd, type = 'pipe') {
    super();
    this.fd = fd;
    this._isStdio = true;
    this._type = type;
    this.writable = true;
    this.destroyed = false;
    this.writableLength = 0;
    this.writableNeedDrain = false;
    this.writableHighWaterMark = 16384;
  }

  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') [callback, encoding] = [encoding, undefined];
    if (this.destroyed) {
      if (callback) process.nextTick(callback, new Error('write after the stream failed'));
      return false;
    }
    try {
      const buf = bytesOf(chunk, encoding);
      for (let off = 0; off < buf.length;) {
        try {
          off += writeBytes(this.fd, buf, off);
        } catch (e) {
          if (e.code !== 'EAGAIN') throw e;
          // Another process made the descriptor non-blocking and the reader is behind.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    } catch (e) {
      this.destroyed = true;
      this.writable = false;
      process.nextTick(() => {
        callback?.(e);
        this.emit('error', e);
      });
      return false;
    }
    if (callback) process.nextTick(callback, null);
    return true;
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') [callback, chunk] = [chunk, undefined];
    else if (typeof encoding === 'function') [callback, encoding] = [encoding, undefined];
    if (chunk != null) this.write(chunk, encoding);
    this.writable = false;
    process.nextTick(() => {
      this.emit('finish');
      callback?.();
    });
    return this;
  }

  cork() {}
  uncork() {}
  setDefaultEncoding() {
    return this;
  }
  destroy(err) {
    this.destroyed = true;
    this.writable = false;
    if (err) process.nextTick(() => this.emit('error', err));
    process.nextTick(() => this.emit('close'));
    return this; // the descriptor is the process's: never closed here
  }
}

/**
 * What descriptor `fd` is, from its link in /proc (Linux): `pipe` for a pipe or a socket, `fs` for a
 * file or /dev/null, undefined for anything else (a terminal, a device, no /proc), which keeps
 * Node's own stream. The link names it without an fstat: Node's Stats object, its dates and the
 * functions behind them cost a cold start more than a million instructions.
 */
function descriptorType(fd) {
  let target;
  try {
    target = NATIVE ? NATIVE.fs.readlink(`/proc/self/fd/${fd}`, 'utf8') : fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined; // not open, or no /proc
  }
  if (target.startsWith('pipe:[') || target.startsWith('socket:[')) return 'pipe';
  if (target === '/dev/null' || (target.startsWith('/') && !target.startsWith('/dev/'))) return 'fs';
  return undefined;
}

function installStdio() {
  for (const [name, fd] of [
    ['stdout', 1],
    ['stderr', 2],
  ]) {
    const own = Object.getOwnPropertyDescriptor(process, name);
    const type = descriptorType(fd);
    if (!type || !own?.configurable) continue;
    let stream;
    Object.defineProperty(process, name, { configurable: true, enumerable: own.enumerable, get: () => (stream ??= new DescriptorWriter(fd, type)) });
  }
}

/** What every start does before the programs run, also in a process started from a snapshot. */
function prepare() {
  if (NATIVE) globalThis[Symbol.for('kindling.reader')] = reader;
  trace = Boolean(process.env.KINDLING_TRACE_LOAD);
  kindOf.clear();
  installStdio();
  if (process.env.KINDLING_RECORD_CODE_CACHE) recordCachesAtExit();
}

/**
 * The build records the caches in several runs: each run replaces the entries of the programs it
 * loaded and keeps the others. The loader's own entry comes first in its file (scripts/start.cjs
 * reads only that), recorded by the run the build names (KINDLING_RECORD_LOADER_CACHE).
 */
function recordCachesAtExit() {
  process.on('exit', () => {
    const files = new Map();
    const entriesOf = (file) => {
      if (!files.has(file)) files.set(file, readCacheFile(file));
      return files.get(file);
    };
    if (loaderScript) {
      const entries = entriesOf(path.join(path.dirname(bundle), PROGRAMS.loaderCache));
      const rest = [...entries].filter(([n]) => n !== 'loader');
      entries.clear();
      entries.set('loader', loaderScript.createCachedData());
      for (const [n, data] of rest) entries.set(n, data);
    }
    for (const [name, p] of loaded) entriesOf(cacheFileOf(name)).set(entryName(name), p.script.createCachedData());
    for (const [file, entries] of files) {
      const index = JSON.stringify([...entries].map(([n, data]) => [n, data.length]));
      fs.writeFileSync(file, Buffer.concat([Buffer.from(`${index}\n`), ...entries.values()]));
    }
  });
}

/**
 * `node --snapshot-blob BLOB --build-snapshot BUNDLE` (a bundle whose manifest has `snapshot`):
 * the main program is loaded and its start handed over instead of run (src/cli/run-main.ts), then
 * the warm-up runs of the manifest run it in a scratch directory, so that V8 compiles what a real
 * run uses. Node then writes the heap - modules started, functions compiled - to BLOB, and
 * `node --snapshot-blob BLOB BUNDLE ARGS` starts from it: no program to read, compile or start.
 * Nothing of the building process may stay in the heap: the standard streams, the environment
 * and the bundle's location are taken at run time.
 */
function buildSnapshot(spec) {
  const v8 = require('node:v8');
  let handedOver;
  globalThis[Symbol.for('kindling.startupSnapshot')] = (run, main) => (handedOver = { run, main });
  load(PROGRAMS.main);
  delete globalThis[Symbol.for('kindling.startupSnapshot')];
  if (!handedOver) throw new Error('the main program did not hand over its start (runMain)');
  warmUp(spec, handedOver.main).then(() => {
    cacheIndexes.clear();
    v8.startupSnapshot.setDeserializeMainFunction(() => {
      try {
        bundle = fs.realpathSync(process.argv[1]);
      } catch {
        // started without the bundle's path: the programs are where the snapshot was built
      }
      prepare();
      handedOver.run();
    });
  });
}

/**
 * Runs the manifest's warm-up command lines with its files (a name ending in / is a directory) and
 * environment, `$DIR` being a scratch directory; their output is dropped.
 */
async function warmUp(spec, main) {
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kindling-snapshot-'));
  const at = (v) => v.replaceAll('$DIR', dir);
  const streams = ['stdout', 'stderr'].map((n) => [n, Object.getOwnPropertyDescriptor(process, n)]);
  const saved = Object.keys(spec.env).map((k) => [k, process.env[k]]);
  const sink = new DescriptorWriter(-1);
  sink.write = (chunk, encoding, callback) => (typeof encoding === 'function' ? encoding() : callback?.(), true);
  try {
    for (const [f, text] of Object.entries(spec.files)) {
      const file = path.join(dir, f);
      fs.mkdirSync(f.endsWith('/') ? file : path.dirname(file), { recursive: true });
      if (!f.endsWith('/')) fs.writeFileSync(file, text);
    }
    for (const [k, v] of Object.entries(spec.env)) process.env[k] = at(v);
    for (const [n] of streams) Object.defineProperty(process, n, { configurable: true, value: sink });
    for (const argv of spec.runs) {
      const code = await main(argv.map(at));
      if (code !== 0) throw new Error(`warm-up run ${argv.join(' ')} exited ${code}`);
    }
  } finally {
    for (const [n, d] of streams) Object.defineProperty(process, n, d);
    for (const [k, v] of saved) v === undefined ? delete process.env[k] : (process.env[k] = v);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (PROGRAMS.snapshot && process.execArgv.includes('--build-snapshot')) buildSnapshot(JSON.parse(PROGRAMS.snapshot));
else {
  prepare();
  if (trace) {
    fs.writeSync(2, `kindling: loader: ${!LOADER_CACHED ? 'no code cache' : `code cache loader${LOADER_SCRIPT.cachedDataRejected ? ' REJECTED' : ''}`}\n`);
    fs.writeSync(2, `kindling: loader: ${NATIVE ? "Node's fs and contextify bindings" : 'the public fs and vm functions'}\n`);
  }
  load(PROGRAMS.main);
}
