// Checks made before anything is touched: sections `kindling apply` cannot apply to a directory,
// and resources that would need the network in --offline mode.
import type { ConfigPath } from '../diag/diagnostic.js';
import type { Config } from '../generated/types.js';

export function unsupportedSections(config: Config): string[] {
  const s = config.storage ?? {};
  const out: string[] = [];
  const disks = (['disks', 'raid', 'luks'] as const).filter((k) => (s[k]?.length ?? 0) > 0);
  if (disks.length > 0) out.push(`cannot apply disk modifications live (storage.${disks.join(', storage.')})`);
  if ((s.filesystems?.length ?? 0) > 0) out.push('cannot apply filesystems modifications live (storage.filesystems)');
  const k = config.kernelArguments;
  if ((k?.shouldExist?.length ?? 0) + (k?.shouldNotExist?.length ?? 0) > 0) out.push('cannot apply kargs modifications live (kernelArguments)');
  return out;
}

/** Every file resource whose source is neither empty nor a data: URL. */
export function networkSources(config: Config): { path: ConfigPath; source: string }[] {
  const out: { path: ConfigPath; source: string }[] = [];
  const check = (source: string | undefined, path: ConfigPath) => {
    if (source && !/^data:/i.test(source)) out.push({ path, source });
  };
  (config.storage?.files ?? []).forEach((f, i) => {
    check(f.contents?.source, ['storage', 'files', i, 'contents', 'source']);
    (f.append ?? []).forEach((a, j) => check(a.source, ['storage', 'files', i, 'append', j, 'source']));
  });
  (config.ignition.security?.tls?.certificateAuthorities ?? []).forEach((c, i) =>
    check(c.source, ['ignition', 'security', 'tls', 'certificateAuthorities', i, 'source']),
  );
  return out;
}
