// Checks of how the Butane YAML is written: the places where Butane (Go's yaml.v3) reads something
// other than what the text seems to say, or checks less than it seems to (docs/compat-audit.md,
// "Traps kept"). Each reports at the YAML node; the safe ones carry a fix.
import type { Diagnostic } from '../../diag/diagnostic.js';
import { closest } from '../../diag/suggest.js';
import { octalIntended } from '../../../transpiler/sugar/base.js';
import { isYamlNull } from '../../../transpiler/core/treematch.js';
import type { YNode, YScalar } from '../../../transpiler/yaml/ynode.js';
import type { LintCheck, LintTarget, Reporter } from '../check.js';
import type { Slot } from '../yaml-walk.js';

const spanOf = (t: LintTarget, n: YNode) => t.loc!.span(n.range[0], n.range[1]);
const sameLine = (d: Diagnostic, t: LintTarget, n: YNode) => {
  const s = spanOf(t, n);
  return d.source?.line === s.line && d.source.column === s.column;
};

/** Walks the YAML of a Butane target, calling `each` for every value. */
function slots(t: LintTarget, each: (s: Slot) => void): void {
  if (t.loc) t.walked().slots.forEach(each);
}

/** Re-reports the verdict's notes of `code` as this check's findings (a warning instead of a note). */
function promote(t: LintTarget, r: Reporter, code: string): void {
  for (const d of t.verdict) {
    if (d.code !== code || d.severity !== 'info') continue;
    r.claim(d);
    r.report({ message: d.message, hint: d.hint, source: d.source });
  }
}

export const yamlExtraDocument: LintCheck = {
  code: 'yaml-extra-document',
  severity: 'warning',
  summary: 'a second YAML document (after `---`), which Butane ignores',
  butaneOnly: true,
  run: (t, r) => promote(t, r, 'yaml-extra-document'),
};

export const yamlNullListItem: LintCheck = {
  code: 'yaml-null-list-item',
  severity: 'warning',
  summary: 'an empty `-` list item, which Butane drops silently',
  butaneOnly: true,
  run: (t, r) => promote(t, r, 'null-list-item'),
};

export const yamlNullSection: LintCheck = {
  code: 'yaml-null-section',
  severity: 'warning',
  summary: 'a section written with nothing under it (`storage:`), which Butane reads as empty and warns about obscurely',
  butaneOnly: true,
  run(t, r) {
    slots(t, (s) => {
      if (typeof s.type !== 'object' || !('obj' in s.type) || !s.key || s.path.length === 0) return;
      if (s.node && !isYamlNull(s.node)) return;
      const name = String(s.path[s.path.length - 1]);
      const at = s.key;
      for (const d of t.verdict) if (d.code === 'yaml-tree-mismatch' && (sameLine(d, t, at) || (s.node && sameLine(d, t, s.node)))) r.claim(d);
      r.report({
        message: `\`${name}\` is empty: nothing is written under it, so it configures nothing`,
        hint: `remove the \`${name}:\` line, or write the settings under it (indented)`,
        source: spanOf(t, at),
      });
    });
  },
};

function uncheckedKeys(t: LintTarget, r: Reporter, via: (v: string) => boolean, why: (v: string) => string): void {
  for (const u of t.walked().unknownKeys) {
    if (!u.unchecked || !u.via || !via(u.via)) continue;
    const near = closest(u.name, u.fields.keys());
    r.report({
      message: `unknown key ${u.name}, reached through ${why(u.via)}: Butane does not check keys there, so it is silently ignored`,
      hint: near ? `did you mean \`${near}\`?` : `known keys here: ${[...u.fields.keys()].join(', ')}`,
      source: spanOf(t, u.key),
    });
  }
}

export const yamlAliasObject: LintCheck = {
  code: 'yaml-alias-object',
  severity: 'warning',
  summary: 'an unknown key inside a mapping used through an alias (`*name`), which Butane never checks',
  butaneOnly: true,
  run: (t, r) =>
    uncheckedKeys(
      t,
      r,
      (v) => v.startsWith('*'),
      (v) => `the alias ${v}`,
    ),
};

export const yamlMergeKey: LintCheck = {
  code: 'yaml-merge-key',
  severity: 'warning',
  summary: 'an unknown key merged in with `<<`, which Butane never checks',
  butaneOnly: true,
  run: (t, r) =>
    uncheckedKeys(
      t,
      r,
      (v) => v === '<<',
      () => 'a `<<` merge key',
    ),
};

const YES = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const NO = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

export const yamlBoolQuoted: LintCheck = {
  code: 'yaml-bool-quoted',
  severity: 'warning',
  summary: 'a YAML 1.1 word (yes/no/on/off, quoted or not) where a boolean goes: Butane reads it as a boolean, other YAML tools as a string',
  butaneOnly: true,
  run(t, r) {
    slots(t, (s) => {
      const v = s.value;
      if (s.type !== 'boolean' || !v || v.kind !== 'scalar' || v.tag) return;
      const word = YES.has(v.text) ? 'true' : NO.has(v.text) ? 'false' : undefined;
      if (word) {
        r.report({
          message: `\`${t.text.slice(v.range[0], v.range[1])}\` is read as ${word} by Butane (YAML 1.1), but as a string by YAML 1.2 tools and editors`,
          hint: `write \`${word}\``,
          source: spanOf(t, v),
        });
        r.fix({ start: v.range[0], end: v.range[1], text: word });
      } else if (!v.plain && (v.text === 'true' || v.text === 'false')) {
        // Butane rejects a quoted "true" (reported by the verdict); unquoting is the fix.
        r.fix({ start: v.range[0], end: v.range[1], text: v.text });
      }
    });
  },
};

const FRACTION = /^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$/;

export const yamlIntFraction: LintCheck = {
  code: 'yaml-int-fraction',
  severity: 'warning',
  summary: 'a number with a fraction or exponent where an integer goes: Butane silently truncates it',
  butaneOnly: true,
  run(t, r) {
    slots(t, (s) => {
      const v = s.value;
      if (s.type !== 'integer' || !v || v.kind !== 'scalar' || !v.plain || v.tag) return;
      const text = v.text.replace(/_/g, '');
      if (!FRACTION.test(text)) return;
      const n = Math.trunc(Number(text));
      r.report({ message: `${String(s.path[s.path.length - 1])} is an integer; \`${v.text}\` is read as ${n}`, hint: `write \`${n}\``, source: spanOf(t, v) });
      if (Number(text) === n && Number.isSafeInteger(n)) r.fix({ start: v.range[0], end: v.range[1], text: String(n) });
    });
  },
};

/** A plain decimal integer scalar that is meant as octal (`644`), with the mode it means. */
function decimalMode(s: Slot, directory: boolean): number | undefined {
  const v = s.value;
  if (!v || v.kind !== 'scalar' || !v.plain || v.tag || !/^[1-9][0-9]*$/.test(v.text)) return undefined;
  return octalIntended(Number(v.text), directory);
}

export const treeDecimalMode: LintCheck = {
  code: 'tree-decimal-mode',
  severity: 'warning',
  summary: 'a tree `file_mode`/`dir_mode` that looks like octal written without the leading zero (Butane warns only for files and directories)',
  butaneOnly: true,
  run(t, r) {
    slots(t, (s) => {
      const sh = s.shape;
      if (sh !== 'storage.trees.file_mode' && sh !== 'storage.trees.dir_mode') return;
      const octal = decimalMode(s, sh.endsWith('dir_mode'));
      if (octal === undefined) return;
      const v = s.value as YScalar;
      r.report({
        message: `${sh.split('.').pop()} ${v.text} is decimal; Butane does not warn here, but it looks like octal without its leading zero`,
        hint: `did you mean 0${v.text}? (that is ${octal} in decimal)`,
        source: spanOf(t, v),
      });
      r.fix({ start: v.range[0], end: v.range[1], text: `0${v.text}` });
    });
  },
};

/** Fix of Butane's own decimal-mode warning (files and directories): add the leading zero. */
export const decimalModeFix: LintCheck = {
  code: 'decimal-mode',
  severity: 'warning',
  summary: "fixes Butane's decimal-mode warning by adding the leading zero",
  butaneOnly: true,
  fixOnly: true,
  run(t, r) {
    slots(t, (s) => {
      const sh = s.shape;
      if (sh !== 'storage.files.mode' && sh !== 'storage.directories.mode') return;
      if (decimalMode(s, sh.startsWith('storage.directories')) === undefined) return;
      const v = s.value as YScalar;
      r.fix({ start: v.range[0], end: v.range[1], text: `0${v.text}` });
    });
  },
};

/** Fix of a quoted mode (`mode: "0644"`), which Butane rejects: unquote it. */
export const quotedModeFix: LintCheck = {
  code: 'yaml-type',
  severity: 'error',
  summary: 'fixes a quoted octal mode by removing the quotes',
  butaneOnly: true,
  fixOnly: true,
  run(t, r) {
    slots(t, (s) => {
      const v = s.value;
      if (s.type !== 'integer' || !v || v.kind !== 'scalar' || v.plain || v.tag || !/^0[0-7]{3,4}$/.test(v.text)) return;
      if (!/mode$/.test(String(s.path[s.path.length - 1]))) return;
      r.fix({ start: v.range[0], end: v.range[1], text: v.text });
    });
  },
};

/** Fix of a mis-cased key (`Path:`), which Butane reports as unused: write it as the field is named. */
export const keyCaseFix: LintCheck = {
  code: 'unused-key',
  severity: 'warning',
  summary: 'fixes a key written in the wrong case',
  butaneOnly: true,
  fixOnly: true,
  run(t, r) {
    for (const u of t.walked().unknownKeys) {
      const matches = [...u.fields.keys()].filter((k) => k.toLowerCase() === u.name.toLowerCase());
      const k = u.key;
      if (matches.length !== 1 || k.kind !== 'scalar') continue;
      const at = t.text.slice(k.range[0], k.range[1]).indexOf(u.name);
      if (at >= 0) r.fix({ start: k.range[0] + at, end: k.range[0] + at + u.name.length, text: matches[0] });
    }
  },
};
