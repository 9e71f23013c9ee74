// Several Butane files as one config: each input is read and translated on its own (its own
// sugar, its own files directory), then the Ignition configs are merged in order with Ignition's
// merge rules (later inputs win, list entries merge by key), and the result is checked once.
// Every output value and every problem is traced back through the merges to the file and line
// that set it. The first input names the variant and version; later ones may leave them out.
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { mergeConfigs } from '../../src/config/merge.js';
import type { Draft } from '../butane/tree.js';
import type { Ctx } from '../core/context.js';
import { SourceMap } from '../core/provenance.js';
import { finishTranspile, readButane, translateInput, type TranspileOptions, type TranspileResult } from '../transpile.js';
import { hooksFor } from '../variants/registry.js';

export interface ComposeInput {
  text: string;
  /** Name of the input, for diagnostics. */
  file: string;
  /** Directory its `local` references are relative to. */
  filesDir?: string;
}

export function transpileMany(inputs: readonly ComposeInput[], opts: Omit<TranspileOptions, 'file' | 'filesDir' | 'inherit'> = {}): TranspileResult {
  const diagnostics: Diagnostic[] = [];
  const files = inputs.map((i) => i.file);
  const first = readButane(inputs[0].text, { ...opts, file: inputs[0].file, filesDir: inputs[0].filesDir });
  diagnostics.push(...first.diagnostics);
  if (!first.spec || !first.ctx || !first.src) return { diagnostics };
  const spec = first.spec;
  const hooks = hooksFor(spec);
  for (const h of hooks) h.check?.(first.ctx, first.src, !!opts.raw);

  // Each input's sources are tagged with its index, so the merged record names the input too.
  const translated: { ctx: Ctx; config: Draft; sources: SourceMap }[] = [];
  const add = (ctx: Ctx, t: { config: Draft; sources: SourceMap }) => translated.push({ ctx, config: t.config, sources: t.sources.tag([translated.length]) });
  add(first.ctx, translateInput(first.ctx, first.src));
  for (const input of inputs.slice(1)) {
    const read = readButane(input.text, { ...opts, file: input.file, filesDir: input.filesDir, inherit: spec });
    diagnostics.push(...read.diagnostics);
    if (!read.spec || !read.ctx || !read.src) continue;
    const s = read.spec;
    if (s.variant !== spec.variant || s.version !== spec.version || s.kindling !== spec.kindling) {
      const name = (x: typeof s) => (x.kindling ? `kindling ${x.kindling} over ${x.variant} ${x.version}` : `${x.variant} ${x.version}`);
      read.ctx.error(
        'compose-variant',
        `this input is ${name(s)}, but ${inputs[0].file} is ${name(spec)}`,
        ['variant'],
        "every input is of the first one's variant and version; later inputs may leave both out",
      );
      add(read.ctx, { config: {}, sources: new SourceMap() });
      continue;
    }
    // The MachineConfig around the result is the first input's.
    for (const k of ['metadata', 'openshift'] as const) {
      if (read.src[k] !== undefined) read.ctx.error('compose-wrapper', `${k} may only be set in the first input (${inputs[0].file})`, [k]);
    }
    add(read.ctx, translateInput(read.ctx, read.src));
  }

  // Fold the merges; each step's trace grafts the result's record from the two sides' records.
  let merged = translated[0].config;
  let sources = translated[0].sources;
  for (const t of translated.slice(1)) {
    const merging = SourceMap.merging(sources, t.sources);
    merged = mergeConfigs(merged, t.config, spec.ignition, merging.trace);
    sources = merging.result;
  }
  return finishTranspile({
    spec,
    hooks,
    main: { ctx: first.ctx, src: first.src },
    ctxs: translated.map((t) => t.ctx),
    config: merged,
    sources,
    diagnostics,
    files,
    opts,
  });
}
