// Checks of systemd units, drop-ins and quadlets: what systemd will do with what Ignition writes.
import { parseUnit, hasInstallSection } from '../../config/unitfile.js';
import { levenshtein } from '../../diag/suggest.js';
import type { LintCheck } from '../check.js';
import { dropins, entries, units } from '../config-walk.js';
import { knownUnits } from '../data/shipped.js';
import { deref, keyText, member } from '../yaml-walk.js';
import { isYamlNull } from '../../../transpiler/core/treematch.js';

export const unitEnabledNoInstall: LintCheck = {
  code: 'unit-enabled-no-install',
  severity: 'warning',
  summary: "a unit enabled by the config whose contents have no [Install] section (enabling it does nothing); replaces Ignition's warning with a hint",
  run(t, r) {
    if (!t.config) return;
    for (const u of units(t.config)) {
      if (u.unit.enabled !== true || typeof u.unit.contents !== 'string' || u.unit.contents === '') continue;
      const parsed = parseUnit(u.unit.contents);
      if ('error' in parsed || hasInstallSection(parsed.options)) continue;
      // Ignition warns too, at the contents and without a way out: this finding replaces it.
      const at = t.spanOf([...u.path, 'contents']);
      for (const d of t.verdict) if (d.code === 'unit-no-install' && at && d.source?.line === at.line) r.claim(d);
      r.report({
        message: `${u.name} is enabled but has no [Install] section, so enabling it does nothing and it will not start at boot`,
        hint: 'add an [Install] section, e.g. `WantedBy=multi-user.target`, or pull the unit in from another unit',
        path: [...u.path, 'enabled'],
      });
    }
  },
};

const UNIT_DIRS = ['/etc/systemd/system/', '/usr/lib/systemd/system/', '/usr/local/lib/systemd/system/'];
const QUADLET_DIRS = ['/etc/containers/systemd/', '/usr/share/containers/systemd/'];
// The service podman's quadlet generator makes of each quadlet file.
const QUADLET_SUFFIX: Record<string, string> = {
  container: '',
  kube: '',
  volume: '-volume',
  network: '-network',
  pod: '-pod',
  image: '-image',
  build: '-build',
  artifact: '-artifact',
};

/** Units the config itself provides: units with contents, unit files, quadlet services. */
function providedUnits(config: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const u of units(config)) if (typeof u.unit.contents === 'string' && u.unit.contents !== '') out.add(u.name);
  for (const e of entries(config)) {
    const p = e.node.path;
    if (typeof p !== 'string' || e.kind === 'directories') continue;
    const dir = p.slice(0, p.lastIndexOf('/') + 1);
    const base = p.slice(dir.length);
    if (UNIT_DIRS.includes(dir)) out.add(base);
    if (QUADLET_DIRS.some((d) => dir.startsWith(d))) {
      const m = /^(.+)\.([a-z]+)$/.exec(base);
      if (m && m[2] in QUADLET_SUFFIX) out.add(`${m[1]}${QUADLET_SUFFIX[m[2]]}.service`);
    }
  }
  return out;
}

const stem = (n: string) => n.replace(/\.[a-z]+$/, '');

export const dropinUnknownUnit: LintCheck = {
  code: 'dropin-unknown-unit',
  severity: 'warning',
  summary: 'drop-ins for a unit that neither the config nor the image provides, when its name is a near miss of one that is',
  run(t, r) {
    if (!t.config) return;
    const provided = providedUnits(t.config);
    const known = [...provided, ...knownUnits(t.spec?.variant ?? '')];
    for (const u of units(t.config)) {
      if (!dropins(u.unit).length || (typeof u.unit.contents === 'string' && u.unit.contents !== '')) continue;
      const template = u.name.replace(/@[^.]+(\.[a-z]+)$/, '@$1');
      if (known.includes(u.name) || known.includes(template)) continue;
      // Only a near miss tells a typo from a unit the image ships that this list does not name. The
      // list has hundreds of names: the length and prefix tests spare most of them the distance.
      const name = u.name;
      const base = stem(name);
      const near = known.find(
        (k) =>
          k !== name && ((Math.abs(k.length - name.length) <= 2 && levenshtein(k, name) <= 2) || (k.startsWith(base) && stem(k) === base && k.includes('.'))),
      );
      if (!near) continue;
      const from = provided.has(near) ? 'this config defines' : 'the image ships';
      r.report({
        message: `drop-ins for ${u.name}, which neither this config nor the image provides; ${from} ${near}`,
        hint: `did you mean \`${near}\`? A drop-in for a unit that does not exist is never read`,
        path: [...u.path, 'name'],
      });
    }
  },
};

const badName = (n: unknown): n is string => typeof n === 'string' && (n.includes('/') || n.includes('..'));

export const unitNamePath: LintCheck = {
  code: 'unit-name-path',
  severity: 'warning',
  summary: 'a unit or drop-in name with `/` or `..`: Ignition accepts it, but the file lands outside the unit directory',
  run(t, r) {
    if (!t.config) return;
    for (const u of units(t.config)) {
      const what = (n: string) => `the name ${JSON.stringify(n)} has ${n.includes('/') ? 'a `/`' : '`..`'}`;
      if (badName(u.unit.name)) {
        r.report({
          message: `${what(u.unit.name)}: Ignition writes the unit to that relative path, outside /etc/systemd/system, where systemd does not load it by that name`,
          hint: 'a unit name is a plain file name such as `app.service`',
          path: [...u.path, 'name'],
        });
      }
      for (const { dropin, index } of dropins(u.unit)) {
        if (!badName(dropin.name)) continue;
        r.report({
          message: `${what(dropin.name)}: Ignition writes the drop-in outside ${u.name}.d/`,
          hint: 'a drop-in name is a plain file name ending in .conf',
          path: [...u.path, 'dropins', index, 'name'],
        });
      }
    }
  },
};

export const quadletEmpty: LintCheck = {
  code: 'quadlet-empty',
  severity: 'warning',
  summary: 'a quadlet or quadlet drop-in without contents (written as an empty file)',
  butaneOnly: true,
  run(t, r) {
    if (!t.loc) return;
    const loc = t.loc;
    const slots = t.walked().slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      const last = s.path[s.path.length - 2];
      const isQuadlet = s.path.length === 3 && s.path[0] === 'systemd' && last === 'quadlets';
      const isDropin = s.path.length === 5 && s.path[1] === 'quadlets' && last === 'dropins';
      if (!(isQuadlet || isDropin) || !s.value || s.value.kind !== 'map') continue;
      const get = (k: string) => member(s.value, k);
      const has = (k: string) => {
        const p = get(k);
        return !!p && !isYamlNull(deref(p.value));
      };
      if (has('contents') || has('contents_local')) continue;
      const name = get('name');
      const at = name?.key ?? s.value;
      r.report({
        message: `this ${isQuadlet ? 'quadlet' : 'quadlet drop-in'}${name ? ` (${keyText(name.value) ?? ''})` : ''} has no contents; it is written as an empty file`,
        hint: 'give it `contents` or `contents_local`, or remove it',
        source: loc.span(at.range[0], at.range[1]),
      });
    }
  },
};
