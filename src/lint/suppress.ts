// `# kindling-disable-next-line CODE[, CODE...] [-- why]` in a YAML file silences those codes (every
// code when none is named) on the line that follows. Errors of Butane or Ignition themselves are
// the verdict and cannot be silenced; lint's own findings and all warnings can.

const DIRECTIVE = /^\s*#\s*kindling-disable-next-line\b(.*)$/;

/** Line number (1-based) → the codes disabled there; an empty set disables every code. */
export type Disabled = Map<number, Set<string>>;

export function disableComments(text: string): Disabled {
  const out: Disabled = new Map();
  if (!text.includes('kindling-disable')) return out;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = DIRECTIVE.exec(line.replace(/\r$/, ''));
    if (!m) return;
    const spec = m[1].split('--')[0];
    const codes = spec.split(/[\s,]+/).filter(Boolean);
    const next = i + 2;
    const prev = out.get(next);
    if (prev && prev.size === 0) return;
    out.set(next, codes.length === 0 || (prev && prev.size === 0) ? new Set() : new Set([...(prev ?? []), ...codes]));
  });
  return out;
}

export function isDisabled(disabled: Disabled, line: number | undefined, code: string): boolean {
  if (line === undefined) return false;
  const codes = disabled.get(line);
  return !!codes && (codes.size === 0 || codes.has(code));
}
