// The contract of a variant's behaviour beyond its table entry (butane/variants.ts: the Ignition
// version, field filters, settings): checks, adjustments and a wrapper document.
import type { Ctx } from '../core/context.js';
import type { Obj } from '../butane/tree.js';

export interface VariantHooks {
  /** Checks on the decoded user config, before translation. `raw`: plain Ignition was asked for. */
  check?(ctx: Ctx, src: Obj, raw: boolean): void;
  /** Adds generated config (sugar) of the variant's own sections; the user's config is merged onto it. */
  sugar?(ctx: Ctx, src: Obj, sugar: Obj): void;
  /** Adjusts the merged config (user entries over sugar) before the field filters run. */
  adjust?(ctx: Ctx, src: Obj, merged: Obj): void;
  /** Whether the field filters that only shape the variant's own output apply to this output. */
  filtersOutput?(raw: boolean): boolean;
  /** A document wrapped around the final config and printed instead of it. */
  wrap?(src: Obj, config: Obj, raw: boolean): Obj | undefined;
}
