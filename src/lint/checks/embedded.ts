// Checks of configs embedded for ignition.config.merge/replace, which Butane leaves unchecked: those
// read from --files-dir (`local`) and inline ones that declare another spec version. Ignition reads
// them only at boot, so a mistake there fails the machine, not the transpile.
import fs from 'node:fs';
import nodePath from 'node:path';
import { parseIgnition } from '../../config/parse.js';
import type { LintCheck, LintTarget, Reporter } from '../check.js';
import type { YNode } from '../../../transpiler/yaml/ynode.js';

const SOURCES = new Set(['ignition.config.merge.inline', 'ignition.config.replace.inline', 'ignition.config.merge.local', 'ignition.config.replace.local']);

interface Embedded {
  kind: 'inline' | 'local';
  /** The scalar holding the text or the file name. */
  node: YNode & { kind: 'scalar' };
}

function embedded(t: LintTarget): Embedded[] {
  const out: Embedded[] = [];
  const slots = t.walked().slots;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    const v = s.value;
    if (v && v.kind === 'scalar' && v.text !== '' && SOURCES.has(s.shape)) out.push({ kind: s.shape.endsWith('inline') ? 'inline' : 'local', node: v });
  }
  return out;
}

/** Reports the problems Ignition would find in an embedded config, at the place it is embedded. */
function reportProblems(t: LintTarget, r: Reporter, e: Embedded, data: Buffer, what: string): void {
  const result = parseIgnition(data);
  const at = t.loc!.span(e.node.range[0], e.node.range[1]);
  for (const d of result.diagnostics) {
    const where = d.source ? ` (line ${d.source.line} col ${d.source.column} of it)` : '';
    r.report({
      severity: d.severity,
      message: `${what}: ${d.message}${where}`,
      hint: d.hint ?? 'Ignition checks this config only when it fetches it at boot; fix it here',
      source: at,
    });
  }
}

const declaredVersion = (data: Buffer): unknown => {
  try {
    const j = JSON.parse(data.toString('utf8')) as { ignition?: { version?: unknown } };
    return j?.ignition?.version;
  } catch {
    return undefined;
  }
};

export const embeddedVersionSkipped: LintCheck = {
  code: 'embedded-version-skipped',
  severity: 'warning',
  summary: 'an inline merge/replace config of another spec version, which Butane does not check: checked here as its own version',
  butaneOnly: true,
  run(t, r) {
    for (const e of embedded(t)) {
      if (e.kind !== 'inline') continue;
      const data = Buffer.from(e.node.text, 'utf8');
      const v = declaredVersion(data);
      if (typeof v !== 'string' || v === t.spec?.ignition) continue;
      reportProblems(t, r, e, data, `embedded config (spec ${v}, not checked by Butane)`);
    }
  },
};

export const embeddedLocalUnchecked: LintCheck = {
  code: 'embedded-local-unchecked',
  severity: 'warning',
  summary: 'a merge/replace config read from --files-dir, which Butane embeds unchecked: checked here',
  butaneOnly: true,
  run(t, r) {
    if (!t.filesDir) return;
    const root = nodePath.resolve(t.filesDir);
    for (const e of embedded(t)) {
      if (e.kind !== 'local') continue;
      const file = nodePath.resolve(root, e.node.text);
      // Escapes and missing files are the verdict's to report.
      if (!file.startsWith(root + nodePath.sep)) continue;
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        continue;
      }
      const text = data.toString('utf8');
      if (/^variant\s*:/m.test(text) && !/^\s*[{[]/.test(text)) {
        r.report({
          message: `${e.node.text} is a Butane config, embedded as it is: only Ignition 2.27 and later read Butane at boot, older ones fail`,
          hint: 'transpile it (`kindling transpile`) and embed the Ignition JSON instead',
          source: t.loc!.span(e.node.range[0], e.node.range[1]),
        });
        continue;
      }
      reportProblems(t, r, e, data, `embedded config ${e.node.text} (not checked by Butane)`);
    }
  },
};
