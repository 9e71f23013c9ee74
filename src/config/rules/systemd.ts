// systemd units and drop-ins: names, contents, and enablement that can't work.
import { hasInstallSection, parseUnit } from '../unitfile.js';
import { empty, isTrue, rule, type Hit, type Rule } from './rule.js';

/**
 * Go's path.Ext, which Ignition checks unit and drop-in names with: from the last dot of the last
 * `/`-separated element, so that a name made of an extension alone (`.service`) has it (Node's
 * extname gives such a name none).
 */
function goExt(name: string): string {
  for (let i = name.length - 1; i >= 0 && name[i] !== '/'; i--) if (name[i] === '.') return name.slice(i);
  return '';
}

const UNIT_TYPES = new Set(['.service', '.socket', '.device', '.mount', '.automount', '.swap', '.target', '.path', '.timer', '.snapshot', '.slice', '.scope']);

export const unitExtension = rule({
  code: 'unit-extension',
  severity: 'error',
  message: 'invalid systemd unit extension',
  on: 'Unit',
  check: (u) => !UNIT_TYPES.has(goExt(u.name ?? '')) && { at: ['name'] },
});

const contentsError = (contents: string | undefined): string | undefined => {
  if (contents === undefined) return undefined;
  const r = parseUnit(contents);
  return 'error' in r ? `invalid unit content: ${r.error}` : undefined;
};

export const unitContents = rule({
  code: 'unit-contents',
  severity: 'error',
  message: 'invalid unit content',
  on: 'Unit',
  check: (u) => {
    const e = contentsError(u.contents);
    return e ? { at: ['contents'], message: e } : undefined;
  },
});

export const unitWithoutInstall = rule({
  code: 'unit-no-install',
  severity: 'warning',
  message: 'unit is enabled, but has no install section so enable does nothing',
  on: 'Unit',
  check: (u) => {
    if (!isTrue(u.enabled) || empty(u.contents)) return undefined;
    const r = parseUnit(u.contents!);
    if ('error' in r || hasInstallSection(r.options)) return undefined;
    return { at: ['contents'], message: `unit ${JSON.stringify(u.name ?? '')} is enabled, but has no install section so enable does nothing` };
  },
});

export const dropinContents = rule({
  code: 'dropin-contents',
  severity: 'error',
  message: 'invalid unit content',
  on: 'Dropin',
  check: (d) => {
    const e = contentsError(d.contents);
    return e ? { at: ['contents'], message: e } : undefined;
  },
});

export const dropinExtension = rule({
  code: 'dropin-extension',
  severity: 'error',
  message: 'invalid systemd drop-in extension',
  on: 'Dropin',
  check: (d) => goExt(d.name ?? '') !== '.conf' && { at: ['name'] },
});

/** Line terminators: no instance unit name holds one (as the pattern /^(.+?)@(.+?)\.service$/ had it). */
const LINE_BREAKS = ['\n', '\r', '\u2028', '\u2029'];

/**
 * The template `NAME@.service` of an instance unit `NAME@INSTANCE.service` (both parts not empty,
 * no line breaks), or undefined.
 */
export function templateOf(unit: string): string | undefined {
  if (!unit.endsWith('.service') || LINE_BREAKS.some((b) => unit.includes(b))) return undefined;
  const at = unit.indexOf('@', 1);
  return at > 0 && at + 1 < unit.length - '.service'.length ? `${unit.slice(0, at)}@.service` : undefined;
}

export const templateWithoutInstall = rule({
  code: 'template-no-install',
  severity: 'warning',
  message: "template unit doesn't have Install section",
  on: 'Systemd',
  check: (s) => {
    const units = new Map((s.units ?? []).map((u) => [u.name ?? '', u]));
    const hits: Hit[] = [];
    (s.units ?? []).forEach((u, i) => {
      const template = templateOf(u.name ?? '');
      if (!template || !isTrue(u.enabled)) return;
      const t = units.get(template);
      if (!t || empty(t.contents)) return;
      const r = parseUnit(t.contents!);
      if ('error' in r || hasInstallSection(r.options)) return;
      hits.push({
        at: ['units', i, 'contents'],
        message: `template unit ${JSON.stringify(template)} for ${JSON.stringify(u.name)} doesn't have Install section`,
      });
    });
    return hits;
  },
});

/** This module's rules, by name, for the registry (index.ts). */
export const SYSTEMD_RULES: readonly Rule[] = [dropinContents, dropinExtension, templateWithoutInstall, unitContents, unitExtension, unitWithoutInstall];
