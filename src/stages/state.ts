// The state carried from one stage process to the next (Ignition's /run/ignition/state): which
// configs were fetched, directories the mount stage created, LUKS key files the disks stage made
// for the files stage, files a provider asked for. Field names are Ignition's, so either engine's
// state file reads in the other.
import type { File } from '../generated/types.js';

export interface FetchedConfig {
  kind: 'base' | 'user';
  source: string;
  referenced: boolean;
}

export interface State {
  fetchedConfigs: FetchedConfig[];
  /** LUKS volume name → data: URL of its key file, dropped again once the files stage wrote it. */
  luksPersistKeyFiles?: Record<string, string> | null;
  /** Directories the mount stage created, relative to the root. */
  notatedDirectories?: string[] | null;
  providerOutputFiles?: File[] | null;
  luksPersistVolumeKeyFiles?: Record<string, string> | null;
}

export function emptyState(): State {
  return { fetchedConfigs: [] };
}

/** Reads a state document; unknown keys are kept so a newer engine's state survives a round trip. */
export function parseState(text: string): State {
  const v = JSON.parse(text) as Partial<State> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('parsing state file: not a JSON object');
  return { ...v, fetchedConfigs: Array.isArray(v.fetchedConfigs) ? v.fetchedConfigs : [] };
}

export function hasUserConfig(state: State): boolean {
  return state.fetchedConfigs.some((c) => c.kind === 'user');
}
