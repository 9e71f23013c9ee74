// Ignition spec versions Kindling accepts, oldest first. The last one is the internal version every
// config is translated up to.
export const VERSIONS = ['3.0.0', '3.1.0', '3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0-experimental'] as const;
export type Version = (typeof VERSIONS)[number];
export const LATEST: Version = VERSIONS[VERSIONS.length - 1];
/** The newest stable version: what `kindling` writes when asked for a non-experimental config. */
export const LATEST_STABLE: Version = '3.6.0';

const index = new Map<string, number>(VERSIONS.map((v, i) => [v, i]));

export function isVersion(v: string): v is Version {
  return index.has(v);
}

/** Orders two known versions: negative when a is older than b. */
export function compareVersions(a: Version, b: Version): number {
  return index.get(a)! - index.get(b)!;
}

/** True when `v` lies in [since, until): `since` defaults to the first version, `until` to none. */
export function inRange(v: Version, since?: Version, until?: Version): boolean {
  const i = index.get(v)!;
  return (since === undefined || i >= index.get(since)!) && (until === undefined || i < index.get(until)!);
}

// Semantic versions as Ignition parses them (major.minor.patch with an optional pre-release).
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

export type VersionCheck =
  | { ok: true; version: Version }
  | { ok: false; message: 'invalid config version (couldn\'t parse)' | 'unsupported config version' };

/** Ignition's version gate: unparsable → "couldn't parse"; parsable but unknown (or an old experimental) → unsupported. */
export function checkVersion(raw: unknown): VersionCheck {
  if (typeof raw !== 'string' || !SEMVER.test(raw)) return { ok: false, message: "invalid config version (couldn't parse)" };
  if (isVersion(raw)) return { ok: true, version: raw };
  return { ok: false, message: 'unsupported config version' };
}
