// The openshift variant: metadata and openshift settings, FIPS cipher options for LUKS, and the
// MachineConfig wrapper (YAML, keys sorted) around the Ignition config; --raw emits the bare config.
import type { Ctx } from '../core/context.js';
import type { Butane, Draft, Obj } from '../butane/tree.js';
import type { SourceMap } from '../core/provenance.js';
import { bootDeviceUsesCex } from '../sugar/bootdev.js';
import type { VariantHooks } from './hook.js';

const ROLE = 'machineconfiguration.openshift.io/role';
const CEX_KARG = 'rd.luks.key=/etc/luks/cex.key';
const FIPS = ['openshift', 'fips'];

export function validateOpenShift(ctx: Ctx, src: Butane.Config, raw: boolean): void {
  const md = src.metadata ?? {};
  if (!md.name) ctx.error('openshift-name', 'metadata.name is required', ['metadata', 'name'], 'MachineConfig objects need a name');
  if (!md.labels?.[ROLE]) {
    ctx.error('openshift-role', `${ROLE} label is required`, ['metadata', 'labels', ROLE], 'for example `machineconfiguration.openshift.io/role: worker`');
  }
  const os = src.openshift ?? {};
  if (os.kernel_type !== undefined && !['', 'default', 'realtime'].includes(os.kernel_type)) {
    ctx.error('openshift-kernel-type', 'must be empty, "default", or "realtime"', ['openshift', 'kernel_type'], 'accepted values: "", default, realtime');
  }
  const kargs = os.kernel_arguments ?? [];
  if (ctx.spec.openshift?.cexKarg && !kargs.includes(CEX_KARG)) {
    // Checked once for boot_device and once for a CEX LUKS volume named root, as Butane does.
    const rootLuks = (src.storage?.luks ?? []).some((l) => l.name === 'root' && l.cex?.enabled === true);
    for (const why of [bootDeviceUsesCex(src) && 'the boot device', rootLuks && 'the root LUKS volume']) {
      if (!why) continue;
      ctx.error(
        'openshift-cex-karg',
        `'${CEX_KARG}' must be set as kernel argument when CEX is enabled for the boot device`,
        ['openshift', 'kernel_arguments'],
        `CEX is enabled for ${why}: add \`- ${CEX_KARG}\` to openshift.kernel_arguments`,
      );
    }
  }
  if (raw) {
    // Anything set, even false, "" or an empty list, is left out of a raw config.
    for (const k of ['extensions', 'fips', 'kernel_arguments', 'kernel_type'] as const) {
      if (os[k] === undefined) continue;
      ctx.warn('openshift-raw', 'field ignored in raw mode', ['openshift', k], 'drop --raw to get a MachineConfig that carries it');
    }
  }
}

/** FIPS on older OpenShift: LUKS volumes need a FIPS-approved cipher unless one is given. */
export function applyFipsCipher(ctx: Ctx, src: Butane.Config, config: Draft, sources: SourceMap): void {
  if (!ctx.spec.openshift?.fipsCipher || src.openshift?.fips !== true) return;
  (config.storage?.luks ?? []).forEach((l, i) => {
    const opts = l.options ?? [];
    if (opts.some((o) => o === '--cipher' || o === '-c' || o.startsWith('--cipher='))) return;
    const at = ['storage', 'luks', i, 'options'];
    sources.fill(at, FIPS);
    [opts.length, opts.length + 1].forEach((j) => sources.set([...at, j], FIPS));
    l.options = [...opts, '--cipher', 'aes-cbc-essiv:sha256'];
  });
}

/** The MachineConfig object around an Ignition config. */
export function machineConfig(src: Butane.Config, config: Obj): Obj {
  const md = src.metadata ?? {};
  const os = src.openshift ?? {};
  const metadata: Obj = {};
  if (md.labels && Object.keys(md.labels).length) metadata.labels = md.labels;
  if (md.name !== undefined) metadata.name = md.name;
  const spec: Obj = { config };
  // Lists are left out when empty; fips and kernelType whenever they are set (Go pointers).
  if (os.extensions?.length) spec.extensions = os.extensions;
  if (os.fips !== undefined) spec.fips = os.fips;
  if (os.kernel_arguments?.length) spec.kernelArguments = os.kernel_arguments;
  if (os.kernel_type !== undefined) spec.kernelType = os.kernel_type;
  return { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata, spec };
}

export const openshift: VariantHooks = {
  check: validateOpenShift,
  adjust: applyFipsCipher,
  // --raw output is plain Ignition: the MachineConfig-only filters don't shape it.
  filtersOutput: (raw) => !raw,
  wrap: (src, config, raw) => (raw ? undefined : machineConfig(src, config)),
};
