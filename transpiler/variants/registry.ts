// Variants with behaviour of their own: one module in this folder plus one line here.
import type { VariantSpec } from '../butane/variants.js';
import type { VariantHooks } from './hook.js';
import { kindling } from './kindling.js';
import { openshift } from './openshift.js';

const HOOKS: Record<string, VariantHooks> = { openshift };

export function hooksOf(variant: string): VariantHooks {
  return HOOKS[variant] ?? {};
}

/** The hooks of a pair: its variant's, and for `variant: kindling` Kindling's as well. */
export function hooksFor(spec: VariantSpec): VariantHooks[] {
  return spec.kindling === undefined ? [hooksOf(spec.variant)] : [hooksOf(spec.variant), kindling];
}
