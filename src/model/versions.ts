// Ignition spec versions Kindling accepts, oldest first, and the one semantic-version parser that
// Ignition's and Butane's version fields are read with. The last version is the internal version
// every config is translated up to.
import { allDigits } from '../host/chars.js';

export interface Semver {
  major: bigint;
  minor: bigint;
  patch: bigint;
  preRelease: string;
  metadata: string;
}

const IDENTIFIER = /^[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*$/;
const INT64_MAX = 2n ** 63n - 1n;

// Versions seen so far: a config names few, and the variant gates ask about them per config.
const parsedVersions = new Map<string, Semver | undefined>();

/**
 * A version as go-semver (which Ignition and Butane both use) parses it, or undefined where it
 * fails. go-semver is lenient: `03.5.0` is 3.5.0 and `3.5.0-` has an empty pre-release. The result
 * is shared: do not change it.
 */
export function parseSemver(s: string): Semver | undefined {
  if (parsedVersions.has(s)) return parsedVersions.get(s);
  const v = readSemver(s);
  // A bound, so that a long-running process (the language server) fed many versions keeps little.
  if (parsedVersions.size < 64) parsedVersions.set(s, v);
  return v;
}

function readSemver(s: string): Semver | undefined {
  const plus = s.indexOf('+');
  const metadata = plus >= 0 ? s.slice(plus + 1) : '';
  let rest = plus >= 0 ? s.slice(0, plus) : s;
  const dash = rest.indexOf('-');
  const preRelease = dash >= 0 ? rest.slice(dash + 1) : '';
  if (dash >= 0) rest = rest.slice(0, dash);
  const parts = rest.split('.');
  if (parts.length !== 3 || (preRelease && !IDENTIFIER.test(preRelease)) || (metadata && !IDENTIFIER.test(metadata))) return undefined;
  if (!parts.every((p) => p !== '' && allDigits(p) && BigInt(p) <= INT64_MAX)) return undefined;
  const [major, minor, patch] = parts.map((p) => BigInt(p));
  return { major, minor, patch, preRelease, metadata };
}

/** The version as go-semver prints it (`03.5.0` → `3.5.0`); undefined when it does not parse. */
export function normalizeSemver(s: string): string | undefined {
  const v = parseSemver(s);
  return v && `${v.major}.${v.minor}.${v.patch}${v.preRelease ? `-${v.preRelease}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;
}

/** Orders two versions by (major, minor, patch); a pre-release sorts before its release. */
export function compareSemver(a: string, b: string): number {
  const [x, y] = [parseSemver(a), parseSemver(b)];
  if (!x || !y) throw new Error(`not a version: ${x ? b : a}`);
  for (const k of ['major', 'minor', 'patch'] as const) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  return (x.preRelease ? 0 : 1) - (y.preRelease ? 0 : 1);
}

export const VERSIONS = ['3.0.0', '3.1.0', '3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0-experimental'] as const;
export type Version = (typeof VERSIONS)[number];

/**
 * A pre-release among VERSIONS, which are plain `x.y.z` or `x.y.z-tag` (a test holds this to
 * parseSemver). Not parseSemver itself: every command would pay for its regular expressions and
 * BigInts at start-up, for two constants.
 */
function isPreRelease(v: Version): boolean {
  return v.includes('-');
}
export const OLDEST: Version = VERSIONS[0];
export const LATEST: Version = VERSIONS[VERSIONS.length - 1];
/** The newest stable version: what Ignition advertises in its config requests' Accept header. */
export const LATEST_STABLE: Version = [...VERSIONS].reverse().find((v) => !isPreRelease(v))!;

/** The accepted versions in words, for help texts and hints: "3.0.0 to 3.6.0 and 3.7.0-experimental". */
export function versionsInWords(): string {
  const stable = VERSIONS.filter((v) => !isPreRelease(v));
  const experimental = VERSIONS.filter(isPreRelease);
  const range = `${stable[0]} to ${stable[stable.length - 1]}`;
  return experimental.length ? `${range} and ${experimental.join(', ')}` : range;
}

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

export type VersionCheck = { ok: true; version: Version } | { ok: false; message: "invalid config version (couldn't parse)" | 'unsupported config version' };

/**
 * Ignition's version gate: a version go-semver cannot parse → "couldn't parse"; one that parses to
 * no spec version Kindling knows (metadata included, or an old experimental) → unsupported.
 */
export function checkVersion(raw: unknown): VersionCheck {
  const v = typeof raw === 'string' ? normalizeSemver(raw) : undefined;
  if (v === undefined) return { ok: false, message: "invalid config version (couldn't parse)" };
  if (isVersion(v)) return { ok: true, version: v };
  return { ok: false, message: 'unsupported config version' };
}
