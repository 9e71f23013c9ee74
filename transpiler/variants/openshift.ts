// The openshift variant: metadata and openshift settings, FIPS cipher options for LUKS, and the
// MachineConfig wrapper (YAML, keys sorted) around the Ignition config; --raw emits the bare config.
import { Ctx, isObj } from '../core/context.js';
import type { Obj } from '../butane/tree.js';
import { bootDeviceUsesCex } from '../sugar/bootdev.js';
import type { VariantHooks } from './hook.js';

const ROLE = 'machineconfiguration.openshift.io/role';
const CEX_KARG = 'rd.luks.key=/etc/luks/cex.key';

export function validateOpenShift(ctx: Ctx, src: Obj, raw: boolean): void {
  const md = isObj(src.metadata) ? src.metadata : {};
  if (typeof md.name !== 'string' || md.name === '') ctx.error('openshift-name', 'metadata.name is required', ['metadata', 'name'], 'MachineConfig objects need a name');
  const labels = isObj(md.labels) ? md.labels : {};
  if (typeof labels[ROLE] !== 'string' || labels[ROLE] === '') {
    ctx.error('openshift-role', `${ROLE} label is required`, ['metadata', 'labels', ROLE], 'for example `machineconfiguration.openshift.io/role: worker`');
  }
  const os = isObj(src.openshift) ? src.openshift : {};
  if (os.kernel_type !== undefined && !['', 'default', 'realtime'].includes(String(os.kernel_type))) {
    ctx.error('openshift-kernel-type', 'must be empty, "default", or "realtime"', ['openshift', 'kernel_type'], 'accepted values: "", default, realtime');
  }
  const kargs = Array.isArray(os.kernel_arguments) ? (os.kernel_arguments as string[]) : [];
  if (ctx.spec.openshift?.cexKarg && !kargs.includes(CEX_KARG)) {
    // Checked once for boot_device and once for a CEX LUKS volume named root, as Butane does.
    const rootLuks = isObj(src.storage) && Array.isArray(src.storage.luks) && (src.storage.luks as Obj[]).some((l) => l.name === 'root' && isObj(l.cex) && l.cex.enabled === true);
    for (const why of [bootDeviceUsesCex(src) && 'the boot device', rootLuks && 'the root LUKS volume']) {
      if (!why) continue;
      ctx.error('openshift-cex-karg', `'${CEX_KARG}' must be set as kernel argument when CEX is enabled for the boot device`, ['openshift', 'kernel_arguments'], `CEX is enabled for ${why}: add \`- ${CEX_KARG}\` to openshift.kernel_arguments`);
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
export function applyFipsCipher(ctx: Ctx, src: Obj, config: Obj): void {
  if (!ctx.spec.openshift?.fipsCipher) return;
  if (!isObj(src.openshift) || src.openshift.fips !== true) return;
  const storage = config.storage;
  if (!isObj(storage) || !Array.isArray(storage.luks)) return;
  for (const l of storage.luks as Obj[]) {
    const opts = Array.isArray(l.options) ? (l.options as string[]) : [];
    if (opts.some((o) => o === '--cipher' || o === '-c' || o.startsWith('--cipher='))) continue;
    l.options = [...opts, '--cipher', 'aes-cbc-essiv:sha256'];
  }
}

/** The MachineConfig object around an Ignition config. */
export function machineConfig(src: Obj, config: Obj): Obj {
  const md = isObj(src.metadata) ? src.metadata : {};
  const os = isObj(src.openshift) ? src.openshift : {};
  const metadata: Obj = {};
  if (isObj(md.labels) && Object.keys(md.labels).length) metadata.labels = md.labels;
  if (md.name !== undefined) metadata.name = md.name;
  const spec: Obj = { config };
  // Lists are left out when empty; fips and kernelType whenever they are set (Go pointers).
  if (Array.isArray(os.extensions) && os.extensions.length) spec.extensions = os.extensions;
  if (typeof os.fips === 'boolean') spec.fips = os.fips;
  if (Array.isArray(os.kernel_arguments) && os.kernel_arguments.length) spec.kernelArguments = os.kernel_arguments;
  if (typeof os.kernel_type === 'string') spec.kernelType = os.kernel_type;
  return { apiVersion: 'machineconfiguration.openshift.io/v1', kind: 'MachineConfig', metadata, spec };
}

export const openshift: VariantHooks = {
  check: validateOpenShift,
  adjust: applyFipsCipher,
  // --raw output is plain Ignition: the MachineConfig-only filters don't shape it.
  filtersOutput: (raw) => !raw,
  wrap: (src, config, raw) => (raw ? undefined : machineConfig(src, config)),
};
