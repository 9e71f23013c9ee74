// A pass over each program the build writes: object literals become stores into an empty object,
// `{a: x, b: y}` -> `(t = {}, t.a = x, t.b = y, t)` with `t` a local of the enclosing function.
//
// Why: until a function has a feedback vector (its first few calls, which is every function of a
// cold start), V8 builds each object literal through its runtime, and defines each property whose
// value is not a constant through the runtime again. An empty object and plain stores take V8's
// generic paths instead, with no runtime call once the shape exists. Measured in a program of 300
// functions called once each, each making a five-property object: 19 K instructions a literal
// (8.4 K with constant values only) against 3.2 K as stores. A cold `kindling apply` made 384
// objects and 944 property definitions the slow way (5.1 M instructions); after this pass it costs
// 2.3 M instructions less, `plan` 1.6 M, a boot stage 1.4 M, `transpile` 1.3 M, `validate` 0.9 M.
//
// Left as they are:
// - literals that are assignment targets (destructuring patterns);
// - literals with a spread, a method, an accessor or a computed key;
// - literals with a key that Object.prototype has (`__proto__` would set the prototype, and a
//   frozen Object.prototype would refuse a store to the others);
// - literals in class field initializers and static blocks, and in parameter defaults: they run in
//   scopes of their own, where the temporaries of the function are not.
//
// Literals in loops and in functions passed to array methods are rewritten too. A cold command runs
// them a few times, before their function has feedback: a cold `apply` of webserver.bu costs 0.8 M
// instructions less with them rewritten. Once warm, V8's copy of a literal is no faster than the
// stores here: a 14,000-line config transpiles in 314 ms against 316 ms (40 paired runs, -11 +- 9
// ms) and dry-runs its 6,602 operations in 398 ms against 422 ms (-14 +- 19 ms).
//
// The temporaries are two-character names found nowhere in the program's text, one for each depth
// of literals nested in a function's values, declared `var` at the top of the function's body
// (after its directives); an arrow function with an expression body gets a block body.
//
// A literal of a shape that no other literal of the program has, in code that runs once (the
// program's own body and esbuild's module initializers, outside their loops: tables, command
// specs, messages), becomes a dictionary instead: `(t = Object.create(null), t.a = x, ...,
// Object.setPrototypeOf(t, Object.prototype))`, the same own properties in the same order on the
// same prototype. Each property added to an ordinary object of a new shape makes V8 a new hidden
// class (about 4 K instructions); a dictionary takes the property into its hash table (measured in
// a program of 20 objects of 5-40 properties, 458 in all: 2.2 M instructions as literals, 2.6 M as
// stores, 0.7 M as dictionaries). An object of a shape other literals share keeps its hidden
// classes, which the other literals then reuse. A cold `kindling apply` made 233 hidden classes
// fewer, 0.65 M instructions. Left out where the program binds a name `Object` of its own.
import ts from 'typescript';
import { Script } from 'node:vm';

const isFunction = (n) =>
  ts.isFunctionDeclaration(n) ||
  ts.isFunctionExpression(n) ||
  ts.isArrowFunction(n) ||
  ts.isMethodDeclaration(n) ||
  ts.isConstructorDeclaration(n) ||
  ts.isGetAccessorDeclaration(n) ||
  ts.isSetAccessorDeclaration(n);

const isLoop = (n) => ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);

function inLoop(n) {
  for (let p = n.parent; p && !isFunction(p); p = p.parent) if (isLoop(p)) return true;
  return false;
}

const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** How a store names the key: `.a` or `["a-b"]`; undefined for a key this pass leaves alone. */
function member(name) {
  let key;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) key = name.text;
  else if (ts.isNumericLiteral(name))
    return `[${name.text}]`; // Object.prototype has no numeric keys
  else return undefined;
  if (PROTOTYPE_KEYS.has(key)) return undefined;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** An assignment or for-in/of target: `({a} = o)`, `for ({a} of list)`. */
function isTarget(n) {
  let c = n;
  for (let p = c.parent; p; c = p, p = p.parent) {
    if (ts.isObjectLiteralExpression(p) || ts.isArrayLiteralExpression(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) continue;
    if (ts.isSpreadElement(p) || ts.isSpreadAssignment(p) || ts.isParenthesizedExpression(p)) continue;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left === c;
    if (ts.isForOfStatement(p) || ts.isForInStatement(p)) return p.initializer === c;
    return false;
  }
  return false;
}

/** The declared name of a variable, parameter, function or class (a catch clause's too). */
function isBinding(id) {
  const p = id.parent;
  const declares =
    ts.isVariableDeclaration(p) ||
    ts.isParameter(p) ||
    ts.isBindingElement(p) ||
    ts.isFunctionDeclaration(p) ||
    ts.isFunctionExpression(p) ||
    ts.isClassDeclaration(p) ||
    ts.isClassExpression(p);
  return declares && p.name === id;
}

const DICTIONARY_MIN_KEYS = 3;

/** A literal's keys in order, as its stores name them. */
const keysOf = (n) => n.properties.map((p) => member(p.name)).join('');

/** The program itself: the function expression that is the whole text. */
function isProgram(fn) {
  let p = fn.parent;
  while (p && ts.isParenthesizedExpression(p)) p = p.parent;
  return !!p && ts.isExpressionStatement(p) && ts.isSourceFile(p.parent);
}

/**
 * The name esbuild's helper for lazily started modules has in `text` (`__esm`, minified or not),
 * known by its definition: `var NAME = (fn, res, err) => () => { if (err) throw err[0]; ... }` (or
 * `function __init() {...}` unminified).
 * Each module's start is a function passed to it, run at most once.
 */
export function moduleInitializer(text) {
  const m =
    /\bvar ([\w$]+)\s*=\s*\(([\w$]+),\s*([\w$]+),\s*([\w$]+)\)\s*=>\s*(?:function(?:\s+[\w$]+)?\s*\(\)|\(\)\s*=>)\s*\{\s*if\s*\(\4\)\s*throw\s*\4\[0\]/.exec(
      text,
    );
  return m?.[1];
}

/** A module's start: a function passed to the initializer helper (`name`), as `helper(() => {...})` or `helper({ "path"() {...} })`. */
function initializes(fn, name) {
  if (!name) return false;
  let call = fn.parent;
  if (ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(call)) call = call.parent;
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === name && call.arguments.length === 1;
}

const isFunctionValue = (n) => ts.isArrowFunction(n) || ts.isFunctionExpression(n) || (ts.isParenthesizedExpression(n) && isFunctionValue(n.expression));

function rewritable(n) {
  if (!ts.isObjectLiteralExpression(n) || n.properties.length === 0) return false;
  for (const p of n.properties) {
    if (ts.isShorthandPropertyAssignment(p)) {
      if (p.objectAssignmentInitializer || !member(p.name)) return false;
    } else if (!ts.isPropertyAssignment(p) || !member(p.name)) return false;
  }
  return !isTarget(n);
}

/** Two-character names that occur nowhere in `text`, not even inside a string. */
function unusedNames(text) {
  const used = new Set(text.match(/[A-Za-z_$][\w$]*/g));
  const first = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$';
  const out = [];
  for (const a of first) for (const b of `${first}0123456789`) if (!used.has(a + b)) out.push(a + b);
  return out;
}

/**
 * `text` (a program: one function expression) with its object literals rewritten; `count` of them.
 * A key that is not an identifier is written as a JSON string, non-ASCII characters as they are.
 */
export function literalsAsStores(text) {
  const names = unusedNames(text);
  const initializer = moduleInitializer(text);
  const temp = (depth) => {
    if (depth >= names.length) throw new Error('literal-stores: no unused names left for temporaries');
    return names[depth];
  };
  const sf = ts.createSourceFile('program.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  let count = 0;
  let dictionaries = 0;
  // How many literals of the program have each sequence of keys, and whether it binds `Object`.
  const shapes = new Map();
  let bindsObject = false;
  (function scan(n) {
    if (rewritable(n)) {
      const keys = keysOf(n);
      shapes.set(keys, (shapes.get(keys) ?? 0) + 1);
    }
    if (ts.isIdentifier(n) && n.text === 'Object' && isBinding(n)) bindsObject = true;
    n.forEachChild(scan);
  })(sf);
  const asDictionary = (node, fn) =>
    fn.once && !bindsObject && !inLoop(node) && node.properties.length >= DICTIONARY_MIN_KEYS && shapes.get(keysOf(node)) === 1;

  // The text of `node` with the literals under it rewritten. `fn` is the function whose locals the
  // temporaries are (none where they cannot be), `depth` the literal depth at `node`.
  function render(node, fn, depth) {
    if (isFunction(node) && node.body) return renderFunction(node);
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) return renderChildren(node, (c) => render(c, undefined, 0));
    if (fn && rewritable(node)) {
      fn.depth = Math.max(fn.depth, depth);
      const t = temp(depth);
      const stores = node.properties.map(
        (p) => `${t}${member(p.name)}=${ts.isShorthandPropertyAssignment(p) ? p.name.text : value(p.initializer, fn, depth + 1)}`,
      );
      count++;
      if (asDictionary(node, fn)) {
        dictionaries++;
        return `(${t}=Object.create(null),${stores.join(',')},Object.setPrototypeOf(${t},Object.prototype))`;
      }
      return `(${t}={},${stores.join(',')},${t})`;
    }
    return renderChildren(node, (c) => render(c, fn, depth));
  }

  // A property's value. A function is written `(0, f)`: V8 allocates a function assigned to a
  // property straight in its old generation, through its runtime (as for a method it expects to
  // live long), where a function in any other expression is made by a builtin. A cold `apply`
  // made 222 functions so, 0.37 M instructions; written so, 0.25 M less in all.
  function value(node, fn, depth) {
    const text = render(node, fn, depth);
    return isFunctionValue(node) ? `(0,${text})` : text;
  }

  // `node`'s text with each child's text as `each` renders it.
  function renderChildren(node, each) {
    let out = '';
    let at = ts.isSourceFile(node) ? 0 : node.getStart(sf);
    node.forEachChild((child) => {
      out += text.slice(at, child.getStart(sf)) + each(child);
      at = child.getEnd();
    });
    return out + text.slice(at, node.getEnd());
  }

  // A function's name and parameters get no temporaries; its body declares those it uses.
  function renderFunction(node) {
    return renderChildren(node, (child) => (child === node.body ? renderBody(node) : render(child, undefined, 0)));
  }

  function renderBody(node) {
    const own = { depth: -1, once: isProgram(node) || initializes(node, initializer) };
    const body = render(node.body, own, 0);
    if (own.depth < 0) return body;
    const declare = `var ${Array.from({ length: own.depth + 1 }, (_, d) => temp(d)).join(',')};`;
    if (!ts.isBlock(node.body)) return `{${declare}return ${body}}`;
    const statements = node.body.statements;
    let k = 0;
    while (k < statements.length && ts.isExpressionStatement(statements[k]) && ts.isStringLiteral(statements[k].expression)) k++;
    // directives are copied as they are, so their offsets in `body` are those of the source
    const after = k ? statements[k - 1].getEnd() - node.body.getStart(sf) : 1;
    return body.slice(0, after) + declare + body.slice(after);
  }

  const out = render(sf, undefined, 0);
  new Script(out, { filename: 'literal-stores output' }); // a syntax error fails the build here
  return { text: out, count, dictionaries };
}
