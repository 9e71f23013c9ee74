// Reading an Ignition config: bytes → JSON → version gate → checkDecoded (decode, types, rules) →
// latest spec.
// Every problem becomes a Diagnostic with the JSON path and the line/column in the input.
import { hasErrors, laterPlaceFirst, type ConfigPath, type Diagnostic, type SourceSpan } from '../diag/diagnostic.js';
import { isUtf8 } from 'node:buffer';
import type { Config } from '../generated/types.js';
import { ROOT } from '../model/spec.js';
import { fieldsAt, isList, refOf } from '../model/view.js';
import { checkVersion, LATEST_STABLE, versionsInWords, type Version } from '../model/versions.js';
import { decode, type Decoded } from './decode.js';
import { JsonSyntaxError, LineIndex, locate, parseJson, valueEnd, type JsonValue } from './json.js';
import { checkDecoded } from './check.js';
import { translate } from './translate.js';
import { checkTypes } from './types-check.js';
import { childPath } from '../diag/config-path.js';
import { utf8Text } from '../host/utf8.js';

export interface ParseResult {
  /** The config translated to the latest spec; undefined when there is any error. */
  config?: Config;
  /** The spec version the input declared. */
  version?: Version;
  diagnostics: Diagnostic[];
  /** The decoded text, for renderers that show source lines. */
  text: string;
}

export interface ParseOptions {
  file?: string;
  /**
   * Read the config as this spec version, the way Butane checks an embedded config: type errors
   * against this version first, then a declared version other than this one is
   * `unsupported config version` (and nothing else is checked).
   */
  asVersion?: Version;
}

export function parseIgnition(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const file = opts.file;
  const diagnostics: Diagnostic[] = [];
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    text = utf8Text(input);
    const bad = firstInvalidUtf8(input);
    if (bad >= 0) {
      // Go's decoder accepts invalid UTF-8 (as U+FFFD); so do we, but say so.
      const pos = new LineIndex(text).position(text.indexOf('\ufffd'));
      diagnostics.push({
        severity: 'warning',
        code: 'invalid-utf8',
        message: `invalid UTF-8 at byte ${bad}; the bytes were replaced by U+FFFD`,
        source: { file, ...pos },
      });
    }
  }
  if (text.length === 0) {
    diagnostics.push({ severity: 'error', code: 'empty', message: 'not a config (empty)', source: file ? { file, line: 1, column: 1 } : undefined });
    return { diagnostics, text };
  }

  let raw: JsonValue;
  try {
    raw = parseJson(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    diagnostics.push({ severity: 'error', code: 'json-syntax', message: e.message, source: { file, ...new LineIndex(text).position(e.offset) } });
    return { diagnostics, text };
  }
  const lines = new LineIndex(text);

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    diagnostics.push({ severity: 'error', code: 'not-an-object', message: 'a config must be a JSON object', source: { file, ...lines.position(0) } });
    return { diagnostics, text };
  }
  const declared = versionOf(raw);
  if (opts.asVersion) {
    const asDecoded = decode(raw, opts.asVersion);
    const typeErrors = checkTypes(asDecoded.config);
    if (hasErrors(typeErrors)) {
      for (const d of typeErrors) d.source = { file, ...lines.position(locate(text, asDecoded.rawPath(d.path ?? []))) };
      return { diagnostics: diagnostics.concat(typeErrors), text };
    }
  }
  const vc = checkVersion(declared.value);
  if (vc.ok && opts.asVersion && vc.version !== opts.asVersion) {
    const at = declared.rawPath ? locate(text, declared.rawPath) : 0;
    diagnostics.push({
      severity: 'error',
      code: 'version',
      message: 'unsupported config version',
      path: ['ignition', 'version'],
      source: { file, ...lines.position(at) },
    });
    return { diagnostics, text };
  }
  if (!vc.ok) {
    const at = declared.rawPath ? locate(text, declared.rawPath) : 0;
    diagnostics.push({
      severity: 'error',
      code: 'version',
      path: ['ignition', 'version'],
      source: { file, ...lines.position(at) },
      ...versionProblem(vc.message, declared.value),
    });
    return { diagnostics, text };
  }
  const version = vc.version;

  const { decoded, diagnostics: problems } = checkDecoded(raw, version, {
    typeProblems: (d) => integerLiterals(text, d, version),
    virtiofs: opts.asVersion ? false : undefined,
  });
  const spanAt = (path: ConfigPath, isKey: boolean): SourceSpan => {
    const start = locate(text, decoded.rawPath(path), isKey);
    // Like Ignition, point just inside an object or list rather than at its bracket.
    const at = !isKey && (text[start] === '{' || text[start] === '[') ? start + 1 : start;
    const end = lines.position(valueEnd(text, start));
    return { file, ...lines.position(at), endLine: end.line, endColumn: end.column };
  };
  for (const d of problems) {
    d.source = spanAt(d.path ?? [], d.code === 'unused-key');
    if (d.related?.path) {
      d.related.source = spanAt(d.related.path, false);
      laterPlaceFirst(d);
    }
  }
  diagnostics.push(...problems);
  if (hasErrors(diagnostics)) return { version, diagnostics, text };
  return { config: translate(decoded.config, version) as Config, version, diagnostics, text };
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * Integers as Go's decoder reads them: `420.0` and `4.2e2` are not integers there, and values must
 * fit in 64 bits. JSON.parse accepts both, so the literals are looked up in the text, only when
 * the text has such a number at all or a value is beyond exact doubles.
 */
function integerLiterals(text: string, decoded: Decoded, version: Version): Diagnostic[] {
  // Outside strings, a digit followed by . e E starts a fraction or an exponent, and 16 digits in a
  // row are the only way to write a value beyond exact doubles (2^53 has 16). Without either, no
  // value needs looking up (and the model is not walked).
  const numbers = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const fractions = /[0-9][.eE]/.test(numbers);
  if (!fractions && !/[0-9]{16}/.test(numbers)) return [];
  const out: Diagnostic[] = [];
  const visit = (v: unknown, objName: string, later: Record<string, Version> | undefined, path: ConfigPath) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    for (const [name, f] of fieldsAt(objName, version, later)) {
      const val = (v as Record<string, unknown>)[name];
      if (val === undefined) continue;
      const ref = refOf(f.type);
      if (ref) {
        if (isList(f.type) && Array.isArray(val)) val.forEach((x, i) => visit(x, ref, f.later, childPath(path, name, i)));
        else visit(val, ref, f.later, childPath(path, name));
      } else if (f.type === 'integer' && typeof val === 'number' && Number.isInteger(val) && (fractions || !Number.isSafeInteger(val))) {
        // (Values with a fraction left are reported by the type check.)
        const at = locate(text, decoded.rawPath(childPath(path, name)));
        const literal = /^-?[0-9][0-9.eE+-]*/.exec(text.slice(at))?.[0] ?? String(val);
        let why: string | undefined;
        if (/[.eE]/.test(literal)) why = 'write it without a fraction or exponent';
        else if (BigInt(literal) > INT64_MAX || BigInt(literal) < -INT64_MAX - 1n) why = 'it does not fit in 64 bits';
        if (why) out.push({ severity: 'error', code: 'type', message: `${name} must be an integer, not ${literal}: ${why}`, path: childPath(path, name) });
      }
    }
  };
  visit(decoded.config, ROOT, undefined, []);
  return out;
}

/** Ignition's message for a rejected version, with what to do about it. */
function versionProblem(message: string, declared: unknown): { message: string; hint: string } {
  if (message !== 'unsupported config version') return { message, hint: `write a version such as "${LATEST_STABLE}"` };
  // Spec 2 configs (Ignition 0.x, e.g. CoreOS Container Linux) are common in old guides.
  if (typeof declared === 'string' && /^2\./.test(declared)) {
    return {
      message: `${message}: ${declared} is an Ignition spec 2 config; Ignition 2.x and Kindling read spec 3 only, so convert it (ign-converter) or rewrite it in Butane`,
      hint: 'ign-converter (github.com/coreos/ign-converter) translates spec 2.2-2.4 to 3.x; the fields changed (e.g. storage.files[].filesystem is gone, paths are absolute), so a Butane rewrite is often simpler',
    };
  }
  return { message, hint: `supported versions: ${versionsInWords()}` };
}

/** `ignition.version`, found case-insensitively like Go does. */
function versionOf(raw: Record<string, JsonValue>): { value: unknown; rawPath?: string[] } {
  const ci = (o: Record<string, JsonValue>, k: string) =>
    k in o
      ? k
      : Object.keys(o)
          .reverse()
          .find((x) => x.toLowerCase() === k);
  const ik = ci(raw, 'ignition');
  const ign = ik !== undefined ? raw[ik] : undefined;
  if (!ign || typeof ign !== 'object' || Array.isArray(ign)) return { value: undefined, rawPath: ik ? [ik] : undefined };
  const vk = ci(ign, 'version');
  return { value: vk !== undefined ? ign[vk] : undefined, rawPath: vk !== undefined ? [ik!, vk] : [ik!] };
}

function firstInvalidUtf8(b: Uint8Array): number {
  if (isUtf8(b)) return -1; // native; the byte-by-byte search below only runs for a bad input
  // Find the offset for the message: check each multi-byte sequence on its own.
  const fatal = new TextDecoder('utf-8', { fatal: true });
  for (let k = 0; k < b.length; k++) {
    const c = b[k];
    if (c < 0x80) continue;
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
    if (!len) return k;
    try {
      fatal.decode(b.subarray(k, k + len));
      k += len - 1;
    } catch {
      return k;
    }
  }
  return 0;
}
