// Variants with behaviour of their own: one module in this folder plus one line here.
import type { VariantHooks } from './hook.js';
import { openshift } from './openshift.js';

const HOOKS: Record<string, VariantHooks> = { openshift };

export function hooksOf(variant: string): VariantHooks {
  return HOOKS[variant] ?? {};
}
