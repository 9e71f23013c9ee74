// Type checking of a decoded config against the latest spec's model: each field present must hold
// the JSON type its model entry gives (string, integer, boolean, list, object). The decoder has
// already dropped nulls and keys unknown to the config's own version, and no field changes type
// between versions, so the latest model checks every version. Objects are walked depth-first in
// the model's field order: the order of the JSON Schema's `properties`, in which a schema
// validator reports the same errors (test/config/types-check.test.ts holds this walk to the
// schema, through ajv).
import type { ConfigPath, Diagnostic } from '../diag/diagnostic.js';
import { ROOT, type TypeRef } from '../model/spec.js';
import { isObj } from './decode.js';
import { fieldsAt } from '../model/view.js';
import { LATEST } from '../model/versions.js';
import { childPath } from '../diag/config-path.js';

const ARTICLE: Record<string, string> = { string: 'a string', integer: 'an integer', boolean: 'a boolean', array: 'a list', object: 'an object' };

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number with a fraction';
  return ARTICLE[typeof v] ?? typeof v;
}

/** The error for `value` at `path`, where the schema type `want` was expected. */
export function typeError(want: string, value: unknown, path: ConfigPath): Diagnostic {
  return { severity: 'error', code: 'type', message: `expected ${ARTICLE[want] ?? want}, found ${kindOf(value)}`, path };
}

/** The JSON Schema type name `t` asks for, when `v` is not of it. */
function mismatch(v: unknown, t: TypeRef): string | undefined {
  if (t === 'string') return typeof v === 'string' ? undefined : 'string';
  if (t === 'integer') return Number.isInteger(v) ? undefined : 'integer';
  if (t === 'boolean') return typeof v === 'boolean' ? undefined : 'boolean';
  if ('list' in t) return Array.isArray(v) ? undefined : 'array';
  return isObj(v) ? undefined : 'object';
}

export function checkTypes(config: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const check = (v: unknown, t: TypeRef, path: ConfigPath): void => {
    const want = mismatch(v, t);
    if (want) {
      out.push(typeError(want, v, path));
      return;
    }
    if (typeof t === 'string') return;
    if ('list' in t) (v as unknown[]).forEach((item, i) => check(item, t.list, childPath(path, i)));
    else walk(v as Record<string, unknown>, t.ref, path);
  };
  const walk = (obj: Record<string, unknown>, objName: string, path: ConfigPath): void => {
    fieldsAt(objName, LATEST).forEach((f, name) => {
      if (obj[name] !== undefined) check(obj[name], f.type, childPath(path, name));
    });
  };
  check(config, { ref: ROOT }, []);
  return out;
}
