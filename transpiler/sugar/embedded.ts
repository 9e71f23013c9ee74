// Ignition configs given inline for ignition.config.merge/replace are checked with the Ignition
// validator, as Butane does since 0.24: as a config of the output's own spec version; one that
// declares another version is not checked (a warning says so). Configs read from --files-dir
// (`local`) are not checked at all, as in Butane, so a Butane YAML fragment is embedded as it is.
// Unlike Butane (which reports them at line 1 column 1 of the Butane file), problems point into
// the embedded text where it is a literal block scalar.
import { parseIgnition } from '../../src/config/parse.js';
import type { Diagnostic } from '../../src/diag/diagnostic.js';
import { Ctx, yamlPathFor } from '../core/context.js';
import type { Path } from '../butane/tree.js';

export function checkEmbeddedConfig(ctx: Ctx, data: Uint8Array, at: Path): void {
  const srcPath = [...at, 'inline'];
  const result = parseIgnition(data, { asVersion: ctx.spec.ignition });
  const mapInline = inlineMapper(ctx, srcPath);
  for (const d of result.diagnostics) {
    const out: Diagnostic = { ...d, message: `embedded config: ${d.message}`, path: yamlPathFor(ctx.origins, srcPath) };
    if (d.code === 'version' && d.message === 'unsupported config version') {
      out.severity = 'warning';
      out.message = `skipping validation of the embedded config: it is not an Ignition ${ctx.spec.ignition} config`;
      out.hint = `Butane checks embedded configs only when they declare the output's version (${ctx.spec.ignition})`;
    }
    const mapped = d.source ? mapInline?.(d.source.line, d.source.column) : undefined;
    out.source = mapped ?? ctx.at('error', '', '', srcPath).source;
    ctx.diagnostics.push(out);
  }
}

/** Maps line/column of a literal block scalar's content to the YAML file; undefined otherwise. */
function inlineMapper(ctx: Ctx, srcPath: Path): ((line: number, column: number) => { file?: string; line: number; column: number } | undefined) | undefined {
  const origin = ctx.origins.get(srcPath);
  if (!origin) return undefined;
  const text = ctx.loc.lines.text;
  const start = origin.value[0];
  if (text[start] !== '|') return undefined;
  const header = ctx.loc.lines.position(start).line;
  const lines = text.split('\n');
  const first = lines.slice(header).find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  const indent = first.length - first.trimStart().length;
  return (line, column) => ({ file: ctx.loc.file, line: header + line, column: indent + column });
}
