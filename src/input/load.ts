// Loads a user config in either form: Ignition JSON, or Butane YAML (a top-level `variant` key),
// which is transpiled in memory first, as Ignition does since 2.27. Input that is not a config at
// all (binary data, an OpenShift MachineConfig) is named as such.
import type { LoadOptions, LoadResult } from './result.js';
import { parseIgnition } from '../config/parse.js';
import { binaryKind, notTextDiagnostic } from './text.js';
import { utf8Text } from '../host/utf8.js';

export type { LoadOptions, LoadResult } from './result.js';

/** Butane YAML has a top-level `variant:` key; Ignition JSON starts with `{`. */
export function looksLikeButane(text: string): boolean {
  return !/^\s*[{[]/.test(text) && /^variant\s*:/m.test(text);
}

/** A YAML or JSON OpenShift MachineConfig: the openshift API group and `kind: MachineConfig`. */
export function looksLikeMachineConfig(text: string): boolean {
  return (
    /machineconfiguration\.openshift\.io\//.test(text) && (/^kind:\s*["']?MachineConfig["']?\s*$/m.test(text) || /"kind"\s*:\s*"MachineConfig"/.test(text))
  );
}

export async function loadConfig(input: Uint8Array | string, opts: LoadOptions = {}): Promise<LoadResult> {
  const binary = typeof input === 'string' ? undefined : binaryKind(input);
  if (binary) return { diagnostics: [notTextDiagnostic(binary, opts.file)], text: '', format: 'ignition' };
  const text = typeof input === 'string' ? input : utf8Text(input);
  if (looksLikeButane(text)) {
    // Loaded here, not imported: an Ignition config then skips the transpiler's module start (its
    // tables and classes). The price is esbuild's lazy initializer on every module of the program
    // (scripts/build.mjs, ESBUILD), which is less. The boot bundle holds the transpiler as a
    // program of its own, packed, loaded here (scripts/build.mjs, writeInline).
    const { loadButane } = await import('./load-butane.js');
    return loadButane(text, opts);
  }
  const machineConfig = looksLikeMachineConfig(text) ? (await import('./machineconfig.js')).loadMachineConfig(text, opts.file) : undefined;
  if (machineConfig) return machineConfig;
  return { ...parseIgnition(input, opts), format: 'ignition' };
}
