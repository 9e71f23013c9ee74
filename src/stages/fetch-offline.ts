// fetch-offline: the config was acquired without the network (the engine did that); this stage
// only says whether what the config references still needs it. Any remote resource, a tang server
// without an advertisement, or a custom clevis pin that says so → NeedNetError, and the engine
// touches the neednet flag so the initramfs brings networking up for the later stages.
import { sourceScheme } from '../config/url.js';
import type { ConfigPath } from '../diag/diagnostic.js';
import { NeedNetError } from '../fetch/errors.js';
import type { Config, Resource } from '../generated/types.js';
import type { Stage } from './stage.js';

export interface NetworkNeed {
  path: ConfigPath;
  /** The source URL, or what else needs the network. */
  what: string;
}

/** A scheme other than data: (and a source at all) means the network; Ignition's rule. */
function resourceNeed(res: Resource | null | undefined, path: ConfigPath): NetworkNeed[] {
  const src = res?.source;
  if (!src) return [];
  const scheme = sourceScheme(src);
  return scheme === '' || scheme === 'data' ? [] : [{ path: [...path, 'source'], what: src }];
}

/** Everything in the config that would need the network, in config order. Pure. */
export function networkNeeds(config: Config): NetworkNeed[] {
  const out: NetworkNeed[] = [];
  const ign = config.ignition;
  (ign.config?.merge ?? []).forEach((r, i) => out.push(...resourceNeed(r, ['ignition', 'config', 'merge', i])));
  out.push(...resourceNeed(ign.config?.replace, ['ignition', 'config', 'replace']));
  (ign.security?.tls?.certificateAuthorities ?? []).forEach((r, i) =>
    out.push(...resourceNeed(r, ['ignition', 'security', 'tls', 'certificateAuthorities', i])),
  );
  (config.storage?.files ?? []).forEach((f, i) => {
    out.push(...resourceNeed(f.contents, ['storage', 'files', i, 'contents']));
    (f.append ?? []).forEach((a, j) => out.push(...resourceNeed(a, ['storage', 'files', i, 'append', j])));
  });
  (config.storage?.luks ?? []).forEach((l, i) => {
    out.push(...resourceNeed(l.keyFile, ['storage', 'luks', i, 'keyFile']));
    (l.clevis?.tang ?? []).forEach((t, j) => {
      if (!t.advertisement) out.push({ path: ['storage', 'luks', i, 'clevis', 'tang', j], what: `tang server ${t.url ?? ''} (no advertisement)` });
    });
    const custom = l.clevis?.custom;
    if (custom?.needsNetwork) out.push({ path: ['storage', 'luks', i, 'clevis', 'custom', 'needsNetwork'], what: `clevis pin ${custom.pin ?? ''}` });
  });
  return out;
}

export const fetchOffline: Stage = {
  name: 'fetch-offline',
  liveRefusals: () => [],
  async run(config) {
    if (networkNeeds(config).length > 0) throw new NeedNetError();
  },
};
