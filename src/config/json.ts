// JSON with Go's acceptance rules and positions on demand. Values come from the engine's fast
// JSON.parse (duplicate keys: last wins, as in Go); a nesting limit of 10000 is enforced like Go's;
// syntax errors are explained in Go's words with an offset; `locate` finds the offset of any path
// when a diagnostic needs it. Nothing here recurses, so deep nesting is an error, never a crash.

export const MAX_DEPTH = 10000;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export { LineIndex } from '../diag/lines.js';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Finds why (and where) JSON.parse rejected `text`, in the words of Go's encoding/json. A
 * scanner with an explicit stack of open containers; it builds no values.
 */
function explainSyntaxError(text: string): JsonSyntaxError {
  const n = text.length;
  let i = 0;
  const stack: ('{' | '[')[] = [];
  /** A container was just opened: no comma before its first member. */
  let fresh = false;
  const err = (msg: string, at = i) => new JsonSyntaxError(i >= n && at >= n ? 'unexpected end of JSON input' : msg, at);
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const str = (): JsonSyntaxError | undefined => {
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) return err(`invalid character ${describe(text[i])} in string literal`);
      if (c !== 0x5c) continue;
      i++;
      if (i >= n) break;
      if (text[i] === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return err('invalid character in \\u hexadecimal character escape', i + 1);
        i += 4;
      } else if (!'"\\/bfnrt'.includes(text[i])) return err(`invalid character ${describe(text[i])} in string escape code`);
    }
    return err('unexpected end of JSON input');
  };
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  // Scans one value; containers are opened (pushed) and finished by the loop below.
  const value = (): JsonSyntaxError | undefined => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length >= MAX_DEPTH) return err('exceeded max depth');
      stack.push(c);
      i++;
      fresh = true;
      return undefined;
    }
    if (c === '"') return str();
    for (const word of ['true', 'false', 'null']) {
      if (c !== word[0]) continue;
      for (let k = 1; k < word.length; k++, i++) {
        if (i + 1 >= n) return err('unexpected end of JSON input', n);
        if (text[i + 1] !== word[k]) return err(`invalid character ${describe(text[i + 1])} in literal ${word} (expecting ${describe(word[k])})`, i + 1);
      }
      i++;
      return undefined;
    }
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUM.lastIndex = i;
      const m = NUM.exec(text);
      if (!m || m[0] === '-') return err(i + 1 >= n ? 'unexpected end of JSON input' : `invalid character ${describe(text[i + 1])} in numeric literal`, i + 1);
      i += m[0].length;
      return undefined;
    }
    return err(`invalid character ${describe(c ?? '')} looking for beginning of value`);
  };
  const key = (): JsonSyntaxError | undefined => {
    ws();
    if (text[i] !== '"') return err(`invalid character ${describe(text[i] ?? '')} looking for beginning of object key string`);
    const e = str();
    if (e) return e;
    ws();
    if (text[i] !== ':') return err(`invalid character ${describe(text[i] ?? '')} after object key`);
    i++;
    return undefined;
  };

  let e = value();
  // After each value: close the innermost container, or go on to its next member.
  while (!e && stack.length) {
    const top = stack[stack.length - 1];
    ws();
    if (text[i] === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
      fresh = false;
      continue;
    }
    if (!fresh) {
      if (text[i] !== ',') {
        e = err(`invalid character ${describe(text[i] ?? '')} after ${top === '{' ? 'object key:value pair' : 'array element'}`);
        break;
      }
      i++;
    }
    fresh = false;
    e = top === '{' ? key() : undefined;
    if (!e) e = value();
  }
  if (e) return e;
  ws();
  if (i < n) return err(`invalid character ${describe(text[i])} after top-level value`);
  return new JsonSyntaxError('invalid JSON', 0);
}

function describe(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return "'\"'";
  const c = ch.charCodeAt(0);
  if (c < 0x20) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c === 0xfeff) return "'\\ufeff' (a byte order mark: save the file without it)";
  return `'${ch}'`;
}

/**
 * Parses JSON with Go's acceptance rules. The fast path is the engine's JSON.parse; positions are
 * recovered later, only for values a diagnostic points at (see `locate`).
 */
export function parseJson(text: string): JsonValue {
  const deep = depthViolation(text);
  if (deep >= 0) throw new JsonSyntaxError('exceeded max depth', deep);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw explainSyntaxError(text);
  }
}

/** Offset of the first bracket nested deeper than MAX_DEPTH, or -1. */
function depthViolation(text: string): number {
  let depth = 0;
  const n = text.length;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x22) {
      for (k++; k < n; k++) {
        const d = text.charCodeAt(k);
        if (d === 0x5c) k++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_DEPTH) return k;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/**
 * Finds the offset of the value (or, with `key`, of the member's key) at `path` in valid JSON text.
 * Duplicate keys resolve to the last occurrence, as in the parsed value. Returns the offset of the
 * deepest ancestor found when the path does not exist.
 */
export function locate(text: string, path: readonly (string | number)[], key = false): number {
  let i = skipWsAt(text, 0);
  let found = i;
  for (let depth = 0; depth < path.length; depth++) {
    const seg = path[depth];
    const c = text[i];
    if (c === '{' && typeof seg === 'string') {
      let k = skipWsAt(text, i + 1);
      let hit = -1;
      let hitKey = -1;
      while (text[k] === '"') {
        const keyAt = k;
        const end = skipString(text, k);
        const name = JSON.parse(text.slice(k, end)) as string;
        k = skipWsAt(text, skipWsAt(text, end) + 1); // past ':'
        if (name === seg) {
          hit = k;
          hitKey = keyAt;
        }
        k = skipWsAt(text, skipValue(text, k));
        if (text[k] === ',') k = skipWsAt(text, k + 1);
      }
      if (hit < 0) return found;
      i = hit;
      found = key && depth === path.length - 1 ? hitKey : hit;
    } else if (c === '[' && typeof seg === 'number') {
      let k = skipWsAt(text, i + 1);
      for (let idx = 0; idx < seg; idx++) {
        if (text[k] === ']') return found;
        k = skipWsAt(text, skipValue(text, k));
        if (text[k] === ',') k = skipWsAt(text, k + 1);
      }
      if (text[k] === ']') return found;
      i = k;
      found = k;
    } else return found;
  }
  return found;
}

function skipWsAt(text: string, k: number): number {
  while (k < text.length) {
    const c = text.charCodeAt(k);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) k++;
    else break;
  }
  return k;
}

/** k at an opening quote; returns the offset after the closing quote. */
function skipString(text: string, k: number): number {
  for (k++; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x5c) k++;
    else if (c === 0x22) return k + 1;
  }
  return k;
}

/** The offset just after the value (or key string) that starts at `k` in valid JSON text. */
export function valueEnd(text: string, k: number): number {
  return skipValue(text, k);
}

/** k at the start of a value; returns the offset just after it. */
function skipValue(text: string, k: number): number {
  const c = text.charCodeAt(k);
  if (c === 0x22) return skipString(text, k);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (; k < text.length; k++) {
      const d = text.charCodeAt(k);
      if (d === 0x22) k = skipString(text, k) - 1;
      else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        if (--depth === 0) return k + 1;
      }
    }
    return k;
  }
  while (k < text.length) {
    const d = text.charCodeAt(k);
    if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    k++;
  }
  return k;
}
