// Hints attached to diagnostics: typo suggestions for unknown keys, the version that introduced a
// field, and accepted values for enumerated settings.
import { closest } from '../../src/diag/suggest.js';
import { butaneObject } from './model.js';
import { compareSemver } from '../../src/model/versions.js';
import { allVariants, versionsOf, type VariantSpec } from './variants.js';

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
  const others = allVariants().filter((v) => v.variant !== spec.variant && butaneObject(v, objName).fields.has(key));
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
