// Hints attached to diagnostics: typo suggestions for unknown keys, the version that introduced a
// field, and accepted values for enumerated settings.
import { butaneObject } from './model.js';
import { compareSemver, VARIANTS, versionsOf, type VariantSpec } from './variants.js';

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  for (const c of candidates) {
    const d = norm(c) === norm(word) ? 0 : levenshtein(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return best !== undefined && bestD <= limit ? best : undefined;
}

/** A hint for an unknown key on object `objName` of the pair `spec`. */
export function suggestKey(spec: VariantSpec, objName: string, key: string): string | undefined {
  const here = butaneObject(spec, objName).fields;
  const near = closest(key, here.keys());
  if (near) return `did you mean \`${near}\`?`;
  // Known in a later version of the same variant?
  for (const v of versionsOf(spec.variant)) {
    if (compareSemver(v.version, spec.version) <= 0) continue;
    if (butaneObject(v, objName).fields.has(key)) {
      return `\`${key}\` needs ${spec.variant} ${v.version} or later; this config is version ${spec.version}`;
    }
  }
  const others = VARIANTS.filter((v) => v.variant !== spec.variant && butaneObject(v, objName).fields.has(key));
  if (others.length) {
    const names = [...new Set(others.map((v) => v.variant))].join(', ');
    return `\`${key}\` is not available in the ${spec.variant} variant (only in ${names})`;
  }
  return undefined;
}

/** Accepted values of Butane-only enumerated settings (the Ignition rules give their own hints). */
export const ENUM_HINTS: Record<string, readonly string[]> = {
  layout: ['x86_64', 'aarch64', 'ppc64le', 's390x-eckd', 's390x-virt', 's390x-zfcp'],
  kernel_type: ['""', 'default', 'realtime'],
};
