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
//   scopes of their own, where the temporaries of the function are not;
// - literals in a loop of their own function, or in a function passed to an array method: those
//   run often and soon with feedback, where V8's copy of a literal is faster than the stores (with
//   those rewritten too, a config of 3,300 entries transpiled 2-4 % slower; without, as before).
//
// The temporaries are two-character names found nowhere in the program's text, one for each depth
// of literals nested in a function's values, declared `var` at the top of the function's body
// (after its directives); an arrow function with an expression body gets a block body.
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

const PER_ELEMENT = new Set(['map', 'flatMap', 'forEach', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'sort', 'replace', 'replaceAll']);

/** A function passed to an array method (or to replace): it runs once an element. */
function runsPerElement(fn) {
  const call = fn.parent;
  return (
    ts.isCallExpression(call) && call.arguments.includes(fn) && ts.isPropertyAccessExpression(call.expression) && PER_ELEMENT.has(call.expression.name.text)
  );
}

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
  const temp = (depth) => {
    if (depth >= names.length) throw new Error('literal-stores: no unused names left for temporaries');
    return names[depth];
  };
  const sf = ts.createSourceFile('program.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  let count = 0;

  // The text of `node` with the literals under it rewritten. `fn` is the function whose locals the
  // temporaries are (none where they cannot be), `depth` the literal depth at `node`.
  function render(node, fn, depth) {
    if (isFunction(node) && node.body) return renderFunction(node);
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node)) return renderChildren(node, (c) => render(c, undefined, 0));
    if (fn && !fn.warm && rewritable(node) && !inLoop(node)) {
      fn.depth = Math.max(fn.depth, depth);
      const t = temp(depth);
      const stores = node.properties.map(
        (p) => `${t}${member(p.name)}=${ts.isShorthandPropertyAssignment(p) ? p.name.text : render(p.initializer, fn, depth + 1)}`,
      );
      count++;
      return `(${t}={},${stores.join(',')},${t})`;
    }
    return renderChildren(node, (c) => render(c, fn, depth));
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
    const own = { depth: -1, warm: runsPerElement(node) };
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
  return { text: out, count };
}
