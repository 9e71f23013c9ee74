// The contract of a variant's behaviour beyond its table entry (butane/variants.ts: the Ignition
// version, field filters, settings): checks, adjustments and a wrapper document.
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, Obj } from '../butane/tree.js';
import type { SourceMap } from '../core/provenance.js';

export interface VariantHooks {
  /** Checks on the decoded user config, before translation. `raw`: plain Ignition was asked for. */
  check?(ctx: Ctx, src: Butane.Config, raw: boolean): void;
  /** Adjusts the merged config (user entries over sugar) before the field filters run, recording what it writes. */
  adjust?(ctx: Ctx, src: Butane.Config, merged: Draft, sources: SourceMap): void;
  /** Whether the field filters that only shape the variant's own output apply to this output. */
  filtersOutput?(raw: boolean): boolean;
  /** A document wrapped around the final config and printed instead of it. */
  wrap?(src: Butane.Config, config: Obj, raw: boolean): Obj | undefined;
}
