// A JSON parser that keeps where every value came from. It follows Go's encoding/json where
// Ignition users rely on it: duplicate keys (last wins), a nesting limit of 10000, invalid UTF-8
// accepted (replaced by U+FFFD, reported as a warning). It is iterative, so deep nesting is an
// error and never a stack overflow.

export const MAX_DEPTH = 10000;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Offsets (in characters) of each member's key and value, per container. */
interface Offsets {
  /** Value offsets by key (objects) or index (arrays). */
  value: Map<string | number, number>;
  /** Key offsets, objects only. */
  key?: Map<string, number>;
}

interface JsonDoc {
  value: JsonValue;
  offsets: WeakMap<object, Offsets>;
  rootOffset: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const WS = new Uint8Array(128);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

interface Frame {
  container: JsonValue[] | Record<string, JsonValue>;
  offsets: Offsets;
  /** Pending key for objects. */
  key?: string;
  isArray: boolean;
}

/** The exact (slow) parser: used only to explain why JSON.parse rejected the input. */
function parseExactly(text: string): JsonDoc {
  const offsets = new WeakMap<object, Offsets>();
  const n = text.length;
  let i = 0;

  const skipWs = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 && WS[c]) i++;
      else break;
    }
  };
  const fail = (msg: string, at = i): never => {
    throw new JsonSyntaxError(msg, at);
  };
  const unexpected = (): never => {
    if (i >= n) fail('unexpected end of JSON input');
    const ch = text[i];
    return fail(`invalid character ${describe(ch)} looking for beginning of value`);
  };

  const parseString = (): string => {
    // text[i] === '"'
    const start = ++i;
    let out = '';
    let chunk = start;
    while (true) {
      if (i >= n) fail('unexpected end of JSON input');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(chunk, i);
        i++;
        const e = text[i];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 1, i + 5);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid character in \\u hexadecimal character escape', i + 1);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            if (i >= n) fail('unexpected end of JSON input');
            fail(`invalid character ${describe(e)} in string escape code`);
        }
        i++;
        chunk = i;
        continue;
      }
      if (c < 0x20) fail(`invalid character ${describe(text[i])} in string literal`);
      i++;
    }
  };

  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const parseNumber = (): number => {
    NUM.lastIndex = i;
    const m = NUM.exec(text);
    if (!m || m[0] === '-' || m[0].length === 0) {
      i++;
      if (i >= n) fail('unexpected end of JSON input');
      return fail(`invalid character ${describe(text[i])} in numeric literal`);
    }
    i += m[0].length;
    return Number(m[0]);
  };

  const literal = (word: string, v: JsonValue): JsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return v;
    }
    for (let k = 0; k < word.length; k++) {
      if (i + k >= n) fail('unexpected end of JSON input');
      if (text[i + k] !== word[k]) fail(`invalid character ${describe(text[i + k])} in literal ${word} (expecting ${describe(word[k])})`, i + k);
    }
    return v;
  };

  // Parses a scalar, or opens a container and returns it (the loop below fills it).
  const stack: Frame[] = [];
  let root: JsonValue = null;
  let rootOffset = 0;

  const place = (v: JsonValue, at: number) => {
    const top = stack[stack.length - 1];
    if (!top) {
      root = v;
      rootOffset = at;
    } else if (top.isArray) {
      const arr = top.container as JsonValue[];
      top.offsets.value.set(arr.length, at);
      arr.push(v);
    } else {
      (top.container as Record<string, JsonValue>)[top.key!] = v;
      top.offsets.value.set(top.key!, at);
    }
  };

  const open = (isArray: boolean, at: number) => {
    if (stack.length >= MAX_DEPTH) fail('exceeded max depth', at);
    const container = isArray ? ([] as JsonValue[]) : (Object.create(null) as Record<string, JsonValue>);
    const off: Offsets = isArray ? { value: new Map() } : { value: new Map(), key: new Map() };
    offsets.set(container, off);
    place(container, at);
    stack.push({ container, offsets: off, isArray });
  };

  // value → returns true when a container was opened
  const value = (): boolean => {
    skipWs();
    const at = i;
    const c = text[i];
    if (c === '{') {
      i++;
      open(false, at);
      return true;
    }
    if (c === '[') {
      i++;
      open(true, at);
      return true;
    }
    if (c === '"') place(parseString(), at);
    else if (c === 't') place(literal('true', true), at);
    else if (c === 'f') place(literal('false', false), at);
    else if (c === 'n') place(literal('null', null), at);
    else if (c === '-' || (c >= '0' && c <= '9')) place(parseNumber(), at);
    else unexpected();
    return false;
  };

  // Expects a key (or the end of the object) in the top frame.
  const objectKey = (first: boolean): boolean => {
    skipWs();
    const top = stack[stack.length - 1];
    if (first && text[i] === '}') {
      i++;
      stack.pop();
      return false;
    }
    if (text[i] !== '"') {
      if (i >= n) fail('unexpected end of JSON input');
      fail(`invalid character ${describe(text[i])} looking for beginning of object key string`);
    }
    const keyAt = i;
    const key = parseString();
    skipWs();
    if (text[i] !== ':') {
      if (i >= n) fail('unexpected end of JSON input');
      fail(`invalid character ${describe(text[i])} after object key`);
    }
    i++;
    top.key = key;
    top.offsets.key!.set(key, keyAt);
    return true;
  };

  if (value()) {
    // A container is open: drive it iteratively.
    let needKey = !stack[0].isArray;
    let first = true;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (needKey) {
        if (!objectKey(first)) {
          first = false;
          needKey = false;
          afterValue();
          continue;
        }
        first = false;
        needKey = false;
        if (value()) {
          needKey = !stack[stack.length - 1].isArray;
          first = true;
          continue;
        }
        afterValue();
        continue;
      }
      if (top.isArray && first) {
        skipWs();
        first = false;
        if (text[i] === ']') {
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        if (value()) {
          needKey = !stack[stack.length - 1].isArray;
          first = true;
          continue;
        }
        afterValue();
        continue;
      }
      afterValue();
    }

    // After a value inside the top container: a separator or the closing bracket.
    function afterValue(): void {
      while (stack.length) {
        skipWs();
        const top = stack[stack.length - 1];
        const c = text[i];
        if (top.isArray) {
          if (c === ',') {
            i++;
            if (value()) {
              needKey = !stack[stack.length - 1].isArray;
              first = true;
              return;
            }
            continue;
          }
          if (c === ']') {
            i++;
            stack.pop();
            continue;
          }
          if (i >= n) fail('unexpected end of JSON input');
          fail(`invalid character ${describe(c)} after array element`);
        } else {
          if (c === ',') {
            i++;
            objectKey(false);
            if (value()) {
              needKey = !stack[stack.length - 1].isArray;
              first = true;
              return;
            }
            continue;
          }
          if (c === '}') {
            i++;
            stack.pop();
            continue;
          }
          if (i >= n) fail('unexpected end of JSON input');
          fail(`invalid character ${describe(c)} after object key:value pair`);
        }
      }
      needKey = false;
      first = false;
    }
  }
  skipWs();
  if (i < n) fail(`invalid character ${describe(text[i])} after top-level value`);
  return { value: root, offsets, rootOffset };
}

function describe(ch: string): string {
  if (ch === "'") return "'\\''";
  if (ch === '"') return '\'"\'';
  const c = ch.charCodeAt(0);
  if (c < 0x20) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  return `'${ch}'`;
}

/** Turns character offsets into 1-based line and column numbers, lazily. */
export class LineIndex {
  private starts?: number[];
  constructor(private readonly text: string) {}
  position(offset: number): { line: number; column: number } {
    if (!this.starts) {
      this.starts = [0];
      for (let k = 0; k < this.text.length; k++) if (this.text.charCodeAt(k) === 10) this.starts.push(k + 1);
    }
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - s[lo] + 1 };
  }
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
    parseExactly(text); // throws a JsonSyntaxError with Go's wording and the offset
    throw new JsonSyntaxError('invalid JSON', 0); // unreachable unless the two parsers disagree
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
