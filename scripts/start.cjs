// The first code of every bundle scripts/build.mjs writes, the one part Node compiles itself: it
// compiles the loader (scripts/loader.cjs) through vm.Script with the loader's own V8 code cache and
// hands over. Node compiles a main file from its text at every start, and then each of its
// functions from the text at its first call: for the loader, 3.5 M instructions of every cold
// command (a third of what `kindling --version` costs above `node -e 0`).
//
// Only top-level statements and one local helper: nothing of this file may outlive the start, for a
// function of it would keep the whole file's text (the boot bundle's programs too) in a startup
// snapshot's heap. The loader is compiled from its own text.
'use strict';
const START = null; // replaced by the build: where the loader's text and its cache entry are
const fs = require('node:fs');

// Node's bindings behind fs.openSync/readSync/closeSync/writeSync/readlinkSync and vm.Script, used
// directly on the one Node whose calling conventions the build checked them against (START.node):
// each of those public functions is JavaScript of Node's that is compiled from its source at its
// first call, about 2 M instructions of every cold start. The bindings' arguments change from one
// Node release to the next, and a wrong call can abort the process, so on any other Node, under
// --pending-deprecation (process.binding then warns), when it is refused (the permission model),
// or while a startup snapshot is built, the public functions serve. The loader gets them too.
let NATIVE;
if (process.version === START.node && process.binding?.name === 'binding' && !process.execArgv.includes('--build-snapshot')) {
  try {
    NATIVE = { fs: process.binding('fs'), Script: process.binding('contextify').ContextifyScript };
  } catch {
    NATIVE = undefined;
  }
}

/**
 * `length` bytes of `file` from `position`. (The loader reads ranges the same way, with its own
 * function: one of this file cannot be handed over.)
 */
function readAt(file, position, length) {
  const fd = NATIVE ? NATIVE.fs.open(file, fs.constants.O_RDONLY, 0o666) : fs.openSync(file, 'r');
  const read = (buf, at, n, from) => (NATIVE ? NATIVE.fs.read(fd, buf, at, n, from) : fs.readSync(fd, buf, at, n, from));
  try {
    // A plain Uint8Array, not a Buffer: its methods are V8's own, where each of Buffer's is
    // JavaScript that Node compiles from its source at the first call (scripts/loader.cjs).
    const buf = new Uint8Array(length);
    let got = 0;
    for (let n; got < length && (n = read(buf, got, length - got, position + got)) > 0;) got += n;
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    if (NATIVE) NATIVE.fs.close(fd);
    else fs.closeSync(fd);
  }
}

// The loader's text: a file beside the CLI, or the first part of the boot bundle's comment.
const loaderFile = START.file && `${__dirname}/${START.file}`;
let loaderText;
try {
  if (START.file) loaderText = fs.readFileSync(loaderFile, 'utf8');
  else {
    const bytes = readAt(__filename, START.at, START.length);
    for (const at of START.slashes) bytes[at] = 0x2f; // the `/` of each end of a comment, blanked in it
    loaderText = Buffer.prototype.latin1Slice.call(bytes);
  }
} catch (e) {
  if (e.code !== 'ENOENT' || !START.file) throw e;
  // A copy of the CLI without its programs' directory: say so, not ENOENT.
  const dir = START.file.slice(0, START.file.indexOf('/'));
  fs.writeSync(2, `kindling: ${__filename.slice(__dirname.length + 1)} needs the directory of programs npm run build writes beside it (${dir}/)\n`);
  process.exit(1);
}
// Its cache entry comes first in the cache file, after the file's index line (scripts/loader.cjs).
let cachedData;
try {
  const head = readAt(`${__dirname}/${START.cache}`, 0, 4096);
  const nl = head.indexOf(10);
  const [name, length] = JSON.parse(Buffer.prototype.latin1Slice.call(head, 0, nl))[0];
  if (name === 'loader') cachedData = readAt(`${__dirname}/${START.cache}`, nl + 1, length);
  if (cachedData?.length !== length) cachedData = undefined; // cut short: compile from the text
} catch {
  // no cache, or an unreadable one: compile from the text
}
const loaderName = START.file ? loaderFile : `${__filename}/loader.js`;
// The arguments of vm.Script's own construction (a fresh symbol where it passes its default for
// scripts without an import() hook: these have none) and of runInThisContext.
const loaderScript = NATIVE
  ? new NATIVE.Script(loaderText, loaderName, 0, 0, cachedData, false, undefined, Symbol(loaderName))
  : new (require('node:vm').Script)(loaderText, { filename: loaderName, cachedData });
const loaderFunction = NATIVE ? loaderScript.runInContext(null, -1, true, false, false) : loaderScript.runInThisContext();
// The programs of the boot bundle follow the loader in the file.
loaderFunction(require, __filename, __dirname, loaderScript, cachedData !== undefined, START.file ? undefined : START.at + START.length, NATIVE);
