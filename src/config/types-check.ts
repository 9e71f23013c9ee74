// Type checking of a decoded config against the closed schema of the latest spec, with the
// standalone validator generated from the model (no schema compiler at run time).
import validate from '../generated/validate-config.cjs';
import type { ConfigPath, Diagnostic } from '../diag/diagnostic.js';

const ARTICLE: Record<string, string> = { string: 'a string', integer: 'an integer', boolean: 'a boolean', array: 'a list', object: 'an object' };

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number with a fraction';
  return ARTICLE[typeof v] ?? typeof v;
}

export function checkTypes(config: unknown): Diagnostic[] {
  if (validate(config)) return [];
  const out: Diagnostic[] = [];
  for (const e of validate.errors ?? []) {
    // Required fields and enumerations have Ignition's own messages, emitted by the rules.
    if (e.keyword !== 'type') continue;
    const path: ConfigPath = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    const want = String((e.params as { type: string }).type).split(',')[0];
    const value = path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], config);
    out.push({
      severity: 'error',
      code: 'type',
      message: `expected ${ARTICLE[want] ?? want}, found ${kindOf(value)}`,
      path,
    });
  }
  return out;
}
