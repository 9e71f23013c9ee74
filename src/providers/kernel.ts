// The kernel interfaces a few providers read (sysfs) and the modules they load first. The sysfs
// root is a seam so tests can hand a provider a fake one.
import path from 'node:path';
import { runChecked } from './command.js';
import type { ProviderContext } from './provider.js';

/** `rel` (e.g. `firmware/qemu_fw_cfg`) under the sysfs root. */
export function sysPath(ctx: ProviderContext, rel: string): string {
  return path.join(ctx.seams.sysRoot ?? '/sys', rel);
}

/** `modprobe module` unless `sysRel` already exists (the driver is loaded or built in). */
export async function loadModuleUnless(ctx: ProviderContext, sysRel: string, module: string, what: string): Promise<void> {
  if (ctx.host.fs.existsSync(sysPath(ctx, sysRel))) return;
  await runChecked(ctx, [ctx.host.tools.modprobe, module], what);
}
